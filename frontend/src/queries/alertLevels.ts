import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import { DEFAULT_LEVELS, type Levels } from "../lib/thresholds";

/**
 * The alert levels in force, fleet-wide or for one server: the UI colours disks by the same
 * levels the alerts fire at. Rarely changed, so fetched once a few minutes.
 */
export function alertLevelsQuery(serverId?: string) {
  return queryOptions({
    queryKey: ["alert-levels", serverId ?? null] as const,
    queryFn: async ({ signal }): Promise<Levels> => {
      const settings = serverId
        ? await unwrap(
            api.GET("/api/v1/servers/{server_id}/alert-settings", {
              params: { path: { server_id: serverId } },
              signal,
            }),
          )
        : await unwrap(api.GET("/api/v1/alert-settings", { signal }));
      return { ...DEFAULT_LEVELS, ...settings.effective };
    },
    staleTime: 5 * 60_000,
  });
}
