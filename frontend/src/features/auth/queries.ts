import { api, unwrap } from "../../api/client";

export interface Credentials {
  username: string;
  password: string;
}

/** Whom the session cookie signs in (null: nobody), and whether the hub awaits its first admin. */
export function sessionQuery() {
  return {
    queryKey: ["auth", "session"] as const,
    queryFn: () => unwrap(api.GET("/api/v1/auth/session")),
    staleTime: Infinity,
  };
}

/** Signs in; the hub answers with the account and sets the session cookie. */
export function loginMutation() {
  return {
    mutationFn: (body: Credentials) => unwrap(api.POST("/api/v1/auth/login", { body })),
  };
}

export function logoutMutation() {
  return { mutationFn: () => unwrap(api.POST("/api/v1/auth/logout")) };
}

export function setupMutation() {
  return {
    mutationFn: (body: Credentials & { token: string }) =>
      unwrap(api.POST("/api/v1/auth/setup", { body })),
  };
}
