import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { authStore } from "../lib/auth";
import { createQueryClient } from "../lib/queryClient";

export const TEST_USER = { name: "admin", role: "admin", kind: "session" } as const;

interface Options {
  /** Initial URL, e.g. "/servers/web-1?range=7d". */
  url?: string;
  /** Route pattern the element is mounted at. */
  path?: string;
  signedIn?: boolean;
}

/** Renders with a fresh QueryClient (no retries) and a router, signed in unless told not to. */
export function renderWithProviders(ui: ReactElement, options: Options = {}) {
  const { url = "/", path = "*", signedIn = true } = options;
  if (signedIn) authStore.signedIn({ ...TEST_USER, expires_at: null });
  const queryClient = createQueryClient({ retry: false });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter
        initialEntries={[url]}
        future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
      >
        <Routes>
          <Route path={path} element={ui} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return { ...result, queryClient };
}
