import { queryOptions, type QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { config } from "../../config";
import type { FilesystemUsage, UsageScanRequest } from "./types";

/** While a scan is asked for or running: how often its progress is read. */
export const REQUEST_POLL_MS = 3_000;

export const usageKeys = {
  all: ["usage"] as const,
  filesystem: (serverId: string, mountPoint: string) =>
    [...usageKeys.all, serverId, mountPoint] as const,
};

/**
 * A filesystem's latest usage scan, the growth since the one before, and the open scan request
 * with its progress. Polled every few seconds while a request is open (waiting for the agent,
 * then scanning), at the page's pace otherwise (the hub may ask for a scan by itself).
 */
export function filesystemUsageQuery(serverId: string, mountPoint: string) {
  return queryOptions({
    queryKey: usageKeys.filesystem(serverId, mountPoint),
    queryFn: ({ signal }): Promise<FilesystemUsage> =>
      unwrap(
        api.GET("/api/v1/servers/{server_id}/filesystems/usage", {
          params: { path: { server_id: serverId }, query: { mount_point: mountPoint } },
          signal,
        }),
      ),
    refetchInterval: (query) => (query.state.data?.request ? REQUEST_POLL_MS : config.refreshMs),
  });
}

/**
 * Asks the agent for a scan now (admins). The hub answers with the open request (the same one
 * when a scan of that mount is already asked for); it shows at once as "requested", and the
 * usage is read again.
 */
export function requestUsageScanMutation(
  queryClient: QueryClient,
  serverId: string,
  mountPoint: string,
) {
  const key = usageKeys.filesystem(serverId, mountPoint);
  return {
    mutationFn: (): Promise<UsageScanRequest> =>
      unwrap(
        api.POST("/api/v1/servers/{server_id}/filesystems/usage-scans", {
          params: { path: { server_id: serverId } },
          body: { mount_point: mountPoint },
        }),
      ),
    onSuccess: (request: UsageScanRequest) => {
      queryClient.setQueryData<FilesystemUsage>(key, (usage) =>
        usage
          ? {
              ...usage,
              request: {
                started_at: null,
                entries: null,
                ...(usage.request?.id === request.id ? usage.request : {}),
                ...request,
              },
            }
          : usage,
      );
      return queryClient.invalidateQueries({ queryKey: key });
    },
  };
}
