import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";

export const systemKeys = {
  health: ["system", "health"] as const,
};

/** The hub's health and version; it needs no key, so it answers before sign-in too. */
export function healthQuery() {
  return queryOptions({
    queryKey: systemKeys.health,
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/system/health", { signal })),
    // The version changes only when the hub is upgraded and restarted.
    staleTime: 5 * 60_000,
  });
}
