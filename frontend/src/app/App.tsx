import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { BrowserRouter, Link, Route, Routes } from "react-router-dom";
import { useAuth } from "../lib/auth";
import { AlertsBadge } from "../features/alerts/AlertsBadge";
import { AlertsPage } from "../features/alerts/AlertsPage";
import { NotificationsPage } from "../features/alerts/NotificationsPage";
import { AccountsLink } from "../features/accounts/AccountsLink";
import { AccountsPage } from "../features/accounts/AccountsPage";
import { AuthGate } from "../features/auth/AuthGate";
import { SignOutButton } from "../features/auth/SignOutButton";
import { DrivesPage } from "../features/drives/DrivesPage";
import { AddServerButton } from "../features/enroll/AddServerDialog";
import { VersionFooter } from "../features/system/VersionFooter";
import { NotFoundPage } from "./NotFoundPage";
import { DashboardRoute, ServerRoute } from "./routes";

/** Children only while someone is signed in (the header sits outside the sign-in gate). */
function SignedIn({ children }: { children: ReactNode }) {
  return useAuth().user ? <>{children}</> : null;
}

function Shell() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="topbar__brand">
          HomelabCmd
        </Link>
        <div className="topbar__nav">
          <SignedIn>
            <AlertsBadge />
            <Link to="/drives" className="button button--ghost">
              Drives
            </Link>
          </SignedIn>
          <AddServerButton />
          <AccountsLink />
          <SignOutButton />
        </div>
      </header>
      <AuthGate>
        <Routes>
          <Route path="/" element={<DashboardRoute />} />
          <Route path="/setup" element={<DashboardRoute />} />
          <Route path="/servers/:id" element={<ServerRoute />} />
          <Route path="/alerts" element={<AlertsPage />} />
          <Route path="/drives" element={<DrivesPage />} />
          <Route path="/settings/notifications" element={<NotificationsPage />} />
          <Route path="/settings/accounts" element={<AccountsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </AuthGate>
      <VersionFooter />
    </>
  );
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Shell />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
