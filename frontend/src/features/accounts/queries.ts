import type { QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import type { components } from "../../types/api.gen";

export type UserRead = components["schemas"]["UserRead"];
export type UserRole = components["schemas"]["UserRole"];

export const usersKey = ["users"] as const;

/** Every account, oldest first (admins only). */
export function usersQuery() {
  return { queryKey: usersKey, queryFn: () => unwrap(api.GET("/api/v1/users")) };
}

const refresh = (queryClient: QueryClient) => () =>
  queryClient.invalidateQueries({ queryKey: usersKey });

export function createUserMutation(queryClient: QueryClient) {
  return {
    mutationFn: (body: { username: string; password: string; role: UserRole }) =>
      unwrap(api.POST("/api/v1/users", { body })),
    onSuccess: refresh(queryClient),
  };
}

/** A new role and/or password; either signs the account's sessions out. */
export function updateUserMutation(queryClient: QueryClient, userId: number) {
  return {
    mutationFn: (body: { role?: UserRole; password?: string }) =>
      unwrap(api.PATCH("/api/v1/users/{user_id}", { params: { path: { user_id: userId } }, body })),
    onSuccess: refresh(queryClient),
  };
}

export function deleteUserMutation(queryClient: QueryClient, userId: number) {
  return {
    mutationFn: () =>
      unwrap(api.DELETE("/api/v1/users/{user_id}", { params: { path: { user_id: userId } } })),
    onSuccess: refresh(queryClient),
  };
}
