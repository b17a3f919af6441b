import type { QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { serverKeys } from "../../lib/queryKeys";

export const legacyKeyKey = ["legacy-key"] as const;

/** A single-use code for a new host, with the command that installs and enrolls it. */
export function createEnrollmentMutation() {
  return {
    mutationFn: () => unwrap(api.POST("/api/v1/enrollments", { body: { expires_in_minutes: 60 } })),
  };
}

/** Revokes the server's agent token now; the answer's code enrolls the host again. */
export function rotateTokenMutation(queryClient: QueryClient, serverId: string) {
  return {
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/servers/{server_id}/token", {
          params: { path: { server_id: serverId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: serverKeys.all }),
  };
}

export function legacyKeyQuery() {
  return {
    queryKey: legacyKeyKey,
    queryFn: () => unwrap(api.GET("/api/v1/legacy-key")),
  };
}

export function disableLegacyKeyMutation(queryClient: QueryClient) {
  return {
    mutationFn: () => unwrap(api.DELETE("/api/v1/legacy-key")),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: legacyKeyKey }),
  };
}

/** Servers whose heartbeats come over plain http from another machine. */
export function plainHttpQuery() {
  return {
    queryKey: ["agents", "plain-http"] as const,
    queryFn: () => unwrap(api.GET("/api/v1/agents/plain-http")),
  };
}
