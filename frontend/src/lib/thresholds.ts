export type UsageLevel = "ok" | "warning" | "critical";

/** Used percent from which a disk reads amber, and red. */
export const USED_WARNING_PERCENT = 80;
export const USED_CRITICAL_PERCENT = 90;
/** A confident fill date this close reads amber, and red. Farther ones read calm. */
export const FULL_WARNING_DAYS = 30;
export const FULL_CRITICAL_DAYS = 7;
/** A server whose newest data is older than this is stale (the agent reports every 60 s). */
export const STALE_AFTER_SECONDS = 5 * 60;
/** The hub calls a server offline after this silence (HOMELAB_CMD_OFFLINE_AFTER_SECONDS). */
export const OFFLINE_AFTER_SECONDS = 180;

const RANK: Record<UsageLevel, number> = { ok: 0, warning: 1, critical: 2 };

/** The more urgent of two levels. */
export const worst = (a: UsageLevel, b: UsageLevel): UsageLevel => (RANK[a] >= RANK[b] ? a : b);
export const levelRank = (level: UsageLevel): number => RANK[level];

/** Disk usage colour: green under 80 %, amber from 80 % to under 90 %, red from 90 %. */
export function usageLevel(percent: number): UsageLevel {
  if (percent >= USED_CRITICAL_PERCENT) return "critical";
  if (percent >= USED_WARNING_PERCENT) return "warning";
  return "ok";
}

/** Time-to-full colour: only a confident forecast within 30 days (7 for red) raises it. */
export function fillLevel(
  daysUntilFull: number | null | undefined,
  confident: boolean,
): UsageLevel {
  if (!confident || daysUntilFull === null || daysUntilFull === undefined) return "ok";
  if (daysUntilFull < FULL_CRITICAL_DAYS) return "critical";
  if (daysUntilFull < FULL_WARNING_DAYS) return "warning";
  return "ok";
}

export interface DiskUrgencyInput {
  percent: number;
  days_until_full?: number | null;
  confident?: boolean;
  state?: string | null;
}

/**
 * The one urgency scale of a disk, used by the fleet card, the disk list and the chart: the
 * worse of its free space and its confident time to full. A mount that is missing or does
 * not answer is red.
 */
export function diskUrgency(fs: DiskUrgencyInput): UsageLevel {
  if (fs.state === "missing" || fs.state === "unreachable") return "critical";
  return worst(usageLevel(fs.percent), fillLevel(fs.days_until_full, fs.confident ?? false));
}

export type Freshness = "fresh" | "stale" | "offline";

/**
 * How current a server's data is, judged in the browser from its age, so a page that could
 * not reach the hub for a while does not keep saying "online".
 */
export function freshness(
  server: { status: string; last_seen_at?: string | null; latest_heartbeat_at?: string | null },
  now: number = Date.now(),
): Freshness {
  const seen = server.last_seen_at ? Date.parse(server.last_seen_at) : null;
  if (server.status === "offline" || seen === null) return "offline";
  if ((now - seen) / 1000 > OFFLINE_AFTER_SECONDS) return "offline";
  const data = server.latest_heartbeat_at ? Date.parse(server.latest_heartbeat_at) : seen;
  if ((now - data) / 1000 > STALE_AFTER_SECONDS) return "stale";
  return "fresh";
}
