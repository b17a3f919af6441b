import { queryOptions, useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { OFFLINE_AFTER_SECONDS } from "./thresholds";

export const healthKeys = {
  health: ["system", "health"] as const,
};

/**
 * The hub's health: its version and the silence after which it calls a server offline. It needs
 * no key, so it answers before sign-in too. Shared by the footer and every page that judges
 * freshness, so it lives below the features.
 */
export function healthQuery() {
  return queryOptions({
    queryKey: healthKeys.health,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/system/health", { signal })),
    // The version and the threshold change only when the hub is reconfigured and restarted.
    staleTime: 5 * 60_000,
  });
}

/**
 * The hub's offline threshold (HOMELAB_CMD_OFFLINE_AFTER_SECONDS, from GET /system/health);
 * the hub's default until its answer arrives, or if it never does.
 */
export function useOfflineAfterSeconds(): number {
  const { data } = useQuery(healthQuery());
  return offlineAfterOf(data);
}

/** The threshold from a health answer, the default without one (or with a nonsense value). */
export function offlineAfterOf(health: { offline_after_seconds?: number } | undefined): number {
  const seconds = health?.offline_after_seconds;
  return typeof seconds === "number" && seconds > 0 ? seconds : OFFLINE_AFTER_SECONDS;
}
