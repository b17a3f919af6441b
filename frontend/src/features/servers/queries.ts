import { keepPreviousData, queryOptions, type QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { config } from "../../config";
import { serverKeys } from "../../lib/queryKeys";
import type { HistoryRange, ServerUpdate } from "../../types/server";

/** Every server, polled; the previous list stays on screen while a refresh runs. */
export function serversQuery() {
  return queryOptions({
    queryKey: serverKeys.list(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/servers", { signal })),
    refetchInterval: config.refreshMs,
    placeholderData: keepPreviousData,
  });
}

export function serverQuery(id: string) {
  return queryOptions({
    queryKey: serverKeys.detail(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/servers/{server_id}", { params: { path: { server_id: id } }, signal }),
      ),
    refetchInterval: config.refreshMs,
  });
}

export function serverMetricsQuery(id: string, range: HistoryRange) {
  return queryOptions({
    queryKey: serverKeys.metrics(id, range),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/servers/{server_id}/metrics", {
          params: { path: { server_id: id }, query: { range } },
          signal,
        }),
      ),
    refetchInterval: config.refreshMs,
    placeholderData: keepPreviousData,
  });
}

export function filesystemMetricsQuery(id: string, mountPoint: string, range: HistoryRange) {
  return queryOptions({
    queryKey: serverKeys.filesystemMetrics(id, mountPoint, range),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/servers/{server_id}/filesystems/metrics", {
          params: { path: { server_id: id }, query: { mount_point: mountPoint, range } },
          signal,
        }),
      ),
    refetchInterval: config.refreshMs,
    placeholderData: keepPreviousData,
  });
}

/** Renames a server (null display_name returns to the hostname). */
export function updateServerMutation(queryClient: QueryClient, id: string) {
  return {
    mutationFn: (update: ServerUpdate) =>
      unwrap(
        api.PATCH("/api/v1/servers/{server_id}", {
          params: { path: { server_id: id } },
          body: update,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: serverKeys.all }),
  };
}

/** Removes a server and its history. */
export function deleteServerMutation(queryClient: QueryClient, id: string) {
  return {
    mutationFn: () =>
      unwrap(api.DELETE("/api/v1/servers/{server_id}", { params: { path: { server_id: id } } })),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: serverKeys.detail(id) });
      await queryClient.invalidateQueries({ queryKey: serverKeys.list() });
    },
  };
}

/** Stops listing a filesystem the server no longer reports (its history stays). */
export function dismissFilesystemMutation(queryClient: QueryClient, id: string) {
  return {
    mutationFn: (mountPoint: string) =>
      unwrap(
        api.POST("/api/v1/servers/{server_id}/filesystems/dismiss", {
          params: { path: { server_id: id } },
          body: { mount_point: mountPoint },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: serverKeys.all }),
  };
}
