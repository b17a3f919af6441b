import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isUnauthorized } from "./api/client";
import { authStore } from "./auth/store";

export const KEY_REJECTED =
  "The hub rejected the stored API key (401). Enter the current key to continue.";

function signOutOn401(error: unknown): void {
  if (isUnauthorized(error) && authStore.getState().apiKey) authStore.signOut(KEY_REJECTED);
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
