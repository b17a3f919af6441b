import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isUnauthorized } from "../api/client";
import { authStore } from "./auth";

export const SESSION_ENDED =
  "Your session has ended (signed out elsewhere, expired, or the password changed). Sign in again.";

function signOutOn401(error: unknown): void {
  if (isUnauthorized(error) && authStore.getState().user) authStore.signOut(SESSION_ENDED);
}

/** One client for the app: a 401 anywhere signs out; 4xx answers are not retried. */
export function createQueryClient(overrides: { retry?: boolean } = {}): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: signOutOn401 }),
    mutationCache: new MutationCache({ onError: signOutOn401 }),
    defaultOptions: {
      queries: {
        retry:
          overrides.retry ??
          ((failureCount, error) =>
            failureCount < 2 &&
            !(error instanceof Error && "status" in error && Number(error.status) < 500)),
        refetchOnWindowFocus: true,
        staleTime: 10_000,
      },
    },
  });
}
