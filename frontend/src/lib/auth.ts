import { useSyncExternalStore } from "react";
import type { components } from "../types/api.gen";

export type Me = components["schemas"]["Me"];

export interface AuthState {
  /** Who is signed in; null when nobody is (or the hub has not answered yet). */
  user: Me | null;
  /** Whether the hub has been asked who is signed in (on load, the session cookie decides). */
  checked: boolean;
  /** Why the user was signed out, shown on the sign-in form. */
  notice: string | null;
}

const initial: AuthState = { user: null, checked: false, notice: null };
let state: AuthState = initial;
const listeners = new Set<() => void>();

function update(next: AuthState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

/**
 * Who is signed in. The session itself is an HttpOnly cookie the page cannot read: nothing
 * secret is kept in the browser's storage, and a reload asks the hub again.
 */
export const authStore = {
  getState: (): AuthState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  signedIn(user: Me): void {
    update({ user, checked: true, notice: null });
  },
  signOut(notice: string | null = null): void {
    update({ user: null, checked: true, notice });
  },
  /** Forget everything (tests). */
  reset(): void {
    update(initial);
  },
};

export function useAuth(): AuthState {
  return useSyncExternalStore(authStore.subscribe, authStore.getState);
}
