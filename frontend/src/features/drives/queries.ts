import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";
import { config } from "../../config";

/**
 * The ranges a drive's history can be read over: its readings (about one an hour) up to 90 days,
 * then one point a day.
 */
export const DRIVE_RANGES = ["24h", "7d", "30d", "90d", "12m"] as const;
export type DriveRange = (typeof DRIVE_RANGES)[number];

export const driveKeys = {
  all: ["drives"] as const,
  fleet: () => [...driveKeys.all, "fleet"] as const,
  history: (serverId: string, driveId: number, range: DriveRange) =>
    [...driveKeys.all, "history", serverId, driveId, range] as const,
};

/** Every drive of the fleet, worst first, polled; the list stays on screen while it refreshes. */
export function fleetDrivesQuery() {
  return queryOptions({
    queryKey: driveKeys.fleet(),
    queryFn: ({ signal }) => unwrap(api.GET("/api/v1/drives", { signal })),
    refetchInterval: config.refreshMs,
    placeholderData: keepPreviousData,
  });
}

/** One drive's temperature, power-on hours and key counts over the range. */
export function driveHistoryQuery(serverId: string, driveId: number, range: DriveRange) {
  return queryOptions({
    queryKey: driveKeys.history(serverId, driveId, range),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET("/api/v1/servers/{server_id}/drives/{drive_id}/history", {
          params: { path: { server_id: serverId, drive_id: driveId }, query: { range } },
          signal,
        }),
      ),
    refetchInterval: config.refreshMs,
    placeholderData: keepPreviousData,
  });
}
