import { formatAgo, formatFullIn } from "../../lib/format";
import {
  diskUrgency,
  fillLevel,
  freshness,
  levelRank,
  worst,
  DEFAULT_LEVELS,
  OFFLINE_AFTER_SECONDS,
  type Freshness,
  type Levels,
  type UsageLevel,
} from "../../lib/thresholds";
import type { ServerSummary } from "../../types/server";

export type FleetSort = "attention" | "name" | "status" | "cpu" | "memory" | "disk";
export type StatusFilter = "all" | "online" | "offline";

export const FLEET_SORT_LABELS: Record<FleetSort, string> = {
  attention: "Needs attention",
  name: "Name",
  status: "Offline first",
  cpu: "CPU",
  memory: "Memory",
  disk: "Fullest disk",
};
export const STATUS_LABELS: Record<StatusFilter, string> = {
  all: "All",
  online: "Online",
  offline: "Offline",
};

export const serverName = (server: Pick<ServerSummary, "display_name" | "hostname">): string =>
  server.display_name || server.hostname;

export interface Attention {
  level: UsageLevel;
  freshness: Freshness;
  /** Why, most urgent first: "offline", "/data full in 5 days", "2 missing mounts". */
  reasons: string[];
}

/** How urgently a server needs a look, on the one scale the disks use, with the reasons. */
export function serverAttention(
  server: ServerSummary,
  now: number = Date.now(),
  levels: Levels = DEFAULT_LEVELS,
  offlineAfterSeconds: number = OFFLINE_AFTER_SECONDS,
): Attention {
  const fresh = freshness(server, now, offlineAfterSeconds);
  const found: [UsageLevel, string][] = [];
  if (fresh === "offline")
    found.push(["critical", `offline, last seen ${formatAgo(server.last_seen_at, now)}`]);
  if (fresh === "stale") {
    found.push(["warning", `no new data since ${formatAgo(server.latest_heartbeat_at, now)}`]);
  }
  const missing = server.missing_filesystem_count ?? 0;
  if (missing) found.push(["critical", `${missing} missing mount${missing === 1 ? "" : "s"}`]);
  const vanished = server.vanished_filesystem_count ?? 0;
  if (vanished) {
    found.push(["warning", `${vanished} disk${vanished === 1 ? "" : "s"} stopped reporting`]);
  }
  // The hub sends the levels of each summarised disk's own mount rule (an expected-full backup
  // disk is judged as one); the fleet-wide levels only stand in for an older hub's answer.
  const fullest = server.fullest_filesystem;
  const fullestLevel = fullest ? diskUrgency(fullest, fullest.levels ?? levels) : "ok";
  if (fullest && fullestLevel !== "ok") {
    found.push([fullestLevel, `${fullest.mount_point} ${fullest.percent.toFixed(0)} % used`]);
  }
  const soonest = server.soonest_full_filesystem;
  const soonLevel = soonest
    ? fillLevel(soonest.days_until_full, soonest.confident, soonest.levels ?? levels)
    : "ok";
  if (soonest && soonLevel !== "ok") {
    found.push([soonLevel, `${soonest.mount_point} ${formatFullIn(soonest.days_until_full)}`]);
  }
  found.sort((a, b) => levelRank(b[0]) - levelRank(a[0]));
  return {
    level: found.reduce<UsageLevel>((acc, [level]) => worst(acc, level), "ok"),
    freshness: fresh,
    reasons: found.map(([, reason]) => reason),
  };
}

const desc = (a: number | null | undefined, b: number | null | undefined) => (b ?? -1) - (a ?? -1);

/** The fleet as the toolbar asks: text filter on name, hostname and id; status; sort. */
export function visibleServers(
  servers: ServerSummary[],
  filter: string,
  status: StatusFilter,
  sort: FleetSort,
  now: number = Date.now(),
  levels: Levels = DEFAULT_LEVELS,
  offlineAfterSeconds: number = OFFLINE_AFTER_SECONDS,
): ServerSummary[] {
  const needle = filter.trim().toLowerCase();
  const byName = (a: ServerSummary, b: ServerSummary) => serverName(a).localeCompare(serverName(b));
  const attention = new Map(
    servers.map((s) => [s.id, serverAttention(s, now, levels, offlineAfterSeconds)]),
  );
  const rank = (s: ServerSummary) => levelRank(attention.get(s.id)?.level ?? "ok");
  const soonest = (s: ServerSummary) =>
    s.soonest_full_filesystem?.confident
      ? (s.soonest_full_filesystem.days_until_full ?? null)
      : null;
  const compare: Record<FleetSort, (a: ServerSummary, b: ServerSummary) => number> = {
    attention: (a, b) =>
      rank(b) - rank(a) ||
      (soonest(a) ?? Infinity) - (soonest(b) ?? Infinity) ||
      desc(a.fullest_filesystem?.percent, b.fullest_filesystem?.percent) ||
      byName(a, b),
    name: byName,
    status: (a, b) => Number(a.status === "online") - Number(b.status === "online") || byName(a, b),
    cpu: (a, b) =>
      desc(a.latest_metrics?.cpu_percent, b.latest_metrics?.cpu_percent) || byName(a, b),
    memory: (a, b) =>
      desc(a.latest_metrics?.memory_percent, b.latest_metrics?.memory_percent) || byName(a, b),
    disk: (a, b) =>
      desc(a.fullest_filesystem?.percent, b.fullest_filesystem?.percent) || byName(a, b),
  };
  const shownStatus = (s: ServerSummary) =>
    attention.get(s.id)?.freshness === "offline" ? "offline" : "online";
  return servers
    .filter((s) => status === "all" || shownStatus(s) === status)
    .filter(
      (s) =>
        !needle ||
        [serverName(s), s.hostname, s.id].some((text) => text.toLowerCase().includes(needle)),
    )
    .sort(compare[sort]);
}

export const isFleetSort = (v: string | null): v is FleetSort =>
  v !== null && v in FLEET_SORT_LABELS;
export const isStatusFilter = (v: string | null): v is StatusFilter =>
  v !== null && v in STATUS_LABELS;
