import type { ServerSummary } from "../../types/server";

export type FleetSort = "name" | "status" | "cpu" | "memory" | "disk";
export type StatusFilter = "all" | "online" | "offline";

export const FLEET_SORT_LABELS: Record<FleetSort, string> = {
  name: "Name",
  status: "Offline first",
  cpu: "CPU",
  memory: "Memory",
  disk: "Fullest disk",
};

export const serverName = (server: Pick<ServerSummary, "display_name" | "hostname">): string =>
  server.display_name || server.hostname;

const desc = (a: number | null | undefined, b: number | null | undefined) => (b ?? -1) - (a ?? -1);

/** The fleet as the toolbar asks: text filter on name, hostname and id; status; sort. */
export function visibleServers(
  servers: ServerSummary[],
  filter: string,
  status: StatusFilter,
  sort: FleetSort,
): ServerSummary[] {
  const needle = filter.trim().toLowerCase();
  const byName = (a: ServerSummary, b: ServerSummary) => serverName(a).localeCompare(serverName(b));
  const compare: Record<FleetSort, (a: ServerSummary, b: ServerSummary) => number> = {
    name: byName,
    status: (a, b) => Number(a.status === "online") - Number(b.status === "online") || byName(a, b),
    cpu: (a, b) =>
      desc(a.latest_metrics?.cpu_percent, b.latest_metrics?.cpu_percent) || byName(a, b),
    memory: (a, b) =>
      desc(a.latest_metrics?.memory_percent, b.latest_metrics?.memory_percent) || byName(a, b),
    disk: (a, b) =>
      desc(a.fullest_filesystem?.percent, b.fullest_filesystem?.percent) || byName(a, b),
  };
  return servers
    .filter((s) => status === "all" || s.status === status)
    .filter(
      (s) =>
        !needle ||
        [serverName(s), s.hostname, s.id].some((text) => text.toLowerCase().includes(needle)),
    )
    .sort(compare[sort]);
}
