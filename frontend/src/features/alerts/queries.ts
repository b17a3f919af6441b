import { queryOptions, type QueryClient } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { config } from "../../config";
import { DEFAULT_LEVELS, type Levels } from "../../lib/thresholds";
import type { AlertFilter, ChannelCreate, MountSettingUpdate, SilenceCreate } from "./types";

export const alertKeys = {
  all: ["alerts"] as const,
  list: (state: AlertFilter, serverId?: string) =>
    [...alertKeys.all, "list", state, serverId ?? null] as const,
  mountSettings: (serverId: string) => [...alertKeys.all, "mount-settings", serverId] as const,
  channels: () => [...alertKeys.all, "channels"] as const,
  silences: () => [...alertKeys.all, "silences"] as const,
};

/** Alerts in one state (all servers, or one), newest first, polled like the rest of the UI. */
export function alertsQuery(state: AlertFilter, serverId?: string, limit = 200) {
  return queryOptions({
    queryKey: alertKeys.list(state, serverId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/alerts", {
          params: { query: { state, server_id: serverId, limit } },
          signal,
        }),
      ),
    refetchInterval: config.refreshMs,
  });
}

/** The silences in force (mute messages for a server, or its mounts matching a pattern). */
export function silencesQuery() {
  return queryOptions({
    queryKey: alertKeys.silences(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/silences", { signal })),
    refetchInterval: config.refreshMs,
  });
}

export function mountSettingsQuery(serverId: string) {
  return queryOptions({
    queryKey: alertKeys.mountSettings(serverId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/servers/{server_id}/filesystems/settings", {
          params: { path: { server_id: serverId } },
          signal,
        }),
      ),
  });
}

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

export function channelsQuery() {
  return queryOptions({
    queryKey: alertKeys.channels(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/notification-channels", { signal })),
    refetchInterval: config.refreshMs,
  });
}

const refresh = (queryClient: QueryClient) => () =>
  queryClient.invalidateQueries({ queryKey: alertKeys.all });

export function acknowledgeMutation(queryClient: QueryClient) {
  return {
    mutationFn: (alertId: number) =>
      unwrap(
        api.POST("/api/v1/alerts/{alert_id}/ack", { params: { path: { alert_id: alertId } } }),
      ),
    onSuccess: refresh(queryClient),
  };
}

export function silenceMutation(queryClient: QueryClient) {
  return {
    mutationFn: (body: SilenceCreate) => unwrap(api.POST("/api/v1/silences", { body })),
    onSuccess: refresh(queryClient),
  };
}

/** Ends a silence now. */
export function unsilenceMutation(queryClient: QueryClient) {
  return {
    mutationFn: (silenceId: number) =>
      unwrap(
        api.DELETE("/api/v1/silences/{silence_id}", {
          params: { path: { silence_id: silenceId } },
        }),
      ),
    onSuccess: refresh(queryClient),
  };
}

export function mountSettingMutation(queryClient: QueryClient, serverId: string) {
  return {
    mutationFn: (body: MountSettingUpdate) =>
      unwrap(
        api.PUT("/api/v1/servers/{server_id}/filesystems/settings", {
          params: { path: { server_id: serverId } },
          body,
        }),
      ),
    onSuccess: refresh(queryClient),
  };
}

export function createChannelMutation(queryClient: QueryClient) {
  return {
    mutationFn: (body: ChannelCreate) =>
      unwrap(api.POST("/api/v1/notification-channels", { body })),
    onSuccess: refresh(queryClient),
  };
}

export function deleteChannelMutation(queryClient: QueryClient) {
  return {
    mutationFn: (channelId: number) =>
      unwrap(
        api.DELETE("/api/v1/notification-channels/{channel_id}", {
          params: { path: { channel_id: channelId } },
        }),
      ),
    onSuccess: refresh(queryClient),
  };
}

export function testChannelMutation() {
  return {
    mutationFn: (channelId: number) =>
      unwrap(
        api.POST("/api/v1/notification-channels/{channel_id}/test", {
          params: { path: { channel_id: channelId } },
        }),
      ),
  };
}
