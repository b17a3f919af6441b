import { QueryClientProvider, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { BrowserRouter, Link, Route, Routes } from "react-router-dom";
import { authStore, useAuth } from "./auth/store";
import { VersionFooter } from "./features/system/VersionFooter";
import { DashboardPage } from "./pages/DashboardPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { ServerPage } from "./pages/ServerPage";
import { SignInPage } from "./pages/SignInPage";

function Shell() {
  const { apiKey } = useAuth();
  const queryClient = useQueryClient();
  function signOut() {
    authStore.signOut();
    queryClient.clear();
  }
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="topbar__brand">
          HomelabCmd
        </Link>
        {apiKey ? (
          <button type="button" className="button button--ghost" onClick={signOut}>
            Sign out
          </button>
        ) : null}
      </header>
      {apiKey ? (
        <Routes>
          <Route path="/" element={<DashboardPage />} />
          <Route path="/servers/:id" element={<ServerPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      ) : (
        <SignInPage />
      )}
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
