import { useSyncExternalStore } from "react";
import { setApiKey } from "../api/client";

const STORAGE_KEY = "homelab-cmd.api-key";

export interface AuthState {
  apiKey: string | null;
  /** Why the user was signed out, shown on the sign-in form. */
  notice: string | null;
}

function readStoredKey(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

let state: AuthState = { apiKey: readStoredKey(), notice: null };
setApiKey(state.apiKey);
const listeners = new Set<() => void>();

function update(next: AuthState): void {
  state = next;
  setApiKey(next.apiKey);
  listeners.forEach((listener) => listener());
}

/** The API key lives in localStorage so the page asks for it only once per browser. */
export const authStore = {
  getState: (): AuthState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signIn(apiKey: string): void {
    try {
      window.localStorage.setItem(STORAGE_KEY, apiKey);
    } catch {
      // Private mode without storage: the key lasts for this tab only.
    }
    update({ apiKey, notice: null });
  },
  signOut(notice: string | null = null): void {
    try {
      window.localStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing stored.
    }
    update({ apiKey: null, notice });
  },
  /** Re-reads storage (tests and other tabs). */
  reload(): void {
    update({ apiKey: readStoredKey(), notice: null });
  },
};

export function useAuth(): AuthState {
  return useSyncExternalStore(authStore.subscribe, authStore.getState);
}
