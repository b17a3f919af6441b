import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { BrowserRouter, Link, Route, Routes } from "react-router-dom";
import { AuthGate } from "./features/auth/AuthGate";
import { SignOutButton } from "./features/auth/SignOutButton";
import { VersionFooter } from "./features/system/VersionFooter";
import { DashboardPage } from "./pages/DashboardPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { ServerPage } from "./pages/ServerPage";

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
        <SignOutButton />
      </header>
      <AuthGate>
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/setup" element={<DashboardPage />} />
          <Route path="/servers/:id" element={<ServerPage />} />
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
