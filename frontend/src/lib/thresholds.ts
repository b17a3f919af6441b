import type { components } from "../types/api.gen";

export type UsageLevel = "ok" | "warning" | "critical";

/** The alert levels in force (GET /alert-settings, `effective`): the UI colours by them too. */
export type Levels = Pick<
  components["schemas"]["EffectiveLevels"],
  | "mode"
  | "warn_percent"
  | "crit_percent"
  | "warn_free_bytes"
  | "crit_free_bytes"
  | "warn_days"
  | "crit_days"
>;

const GIB = 1024 ** 3;
/**
 * The hub's built-in alert levels (domain/alerts.py, MountPolicy), used until the hub's own
 * answer arrives: amber from 85 % used, red from 95 %; a confident fill date within 14 days is
 * amber, within 3 days red. The rule itself is checked against the hub's on the cases of
 * tests/contract/usage_levels.json (thresholds.test.ts and tests/contract/test_usage_levels.py).
 */
export const DEFAULT_LEVELS: Levels = {
  mode: "default",
  warn_percent: 85,
  crit_percent: 95,
  warn_free_bytes: null,
  crit_free_bytes: null,
  warn_days: 14,
  crit_days: 3,
};
// Size-aware free-space floors, as the alerts apply them (domain/alerts.py): a used-percent
// level counts only while the free space is also under min((100 - level) % of the size, cap),
// so a 20 TB array at 95 % (1 TB free) is not red; an `expected_full` mount is held to its
// floor alone.
const FLOOR_CAP_BYTES = { warning: 100 * GIB, critical: 20 * GIB } as const;
const EXPECTED_FULL_FLOOR = {
  warning: [0.01, 50 * GIB],
  critical: [0.002, 10 * GIB],
} as const;
/** A server whose newest data is older than this is stale (the agent reports every 60 s). */
export const STALE_AFTER_SECONDS = 5 * 60;
/**
 * The hub's default silence before it calls a server offline (HOMELAB_CMD_OFFLINE_AFTER_SECONDS);
 * the pages use the hub's own value (`offline_after_seconds` of GET /system/health, see
 * lib/health.ts) and this one only until it answers.
 */
export const OFFLINE_AFTER_SECONDS = 180;

const RANK: Record<UsageLevel, number> = { ok: 0, warning: 1, critical: 2 };

/** The more urgent of two levels. */
export const worst = (a: UsageLevel, b: UsageLevel): UsageLevel => (RANK[a] >= RANK[b] ? a : b);
export const levelRank = (level: UsageLevel): number => RANK[level];

export interface SpaceInput {
  percent: number;
  total_bytes?: number | null;
  used_bytes?: number | null;
  available_bytes?: number | null;
}

function floorBytes(levels: Levels, severity: "warning" | "critical", room: number): number {
  const explicit = severity === "critical" ? levels.crit_free_bytes : levels.warn_free_bytes;
  if (explicit !== null && explicit !== undefined) return explicit;
  if (levels.mode === "expected_full") {
    const [fraction, cap] = EXPECTED_FULL_FLOOR[severity];
    return Math.min(room * fraction, cap);
  }
  const level = severity === "critical" ? levels.crit_percent : levels.warn_percent;
  return Math.min((room * (100 - level)) / 100, FLOOR_CAP_BYTES[severity]);
}

/**
 * Free-space colour on the alerts' levels: red from 95 % used, amber from 85 % (by default),
 * each only while the free space is also under the size-aware floor (when sizes are known).
 */
export function usageLevel(fs: SpaceInput | number, levels: Levels = DEFAULT_LEVELS): UsageLevel {
  const {
    percent,
    available_bytes: available = null,
    total_bytes: total = null,
  } = typeof fs === "number" ? { percent: fs } : fs;
  if (levels.mode === "ignore") return "ok";
  const used = typeof fs === "number" ? null : (fs.used_bytes ?? null);
  const room = used !== null && available !== null ? used + available : total;
  // As the hub does, the percentage of used + available from the bytes when they are known
  // (the agent's reported figure is rounded), the reported one otherwise.
  const fromBytes = used !== null && available !== null && used + available > 0;
  const usedPercent = fromBytes ? (used / (used + available)) * 100 : percent;
  for (const severity of ["critical", "warning"] as const) {
    const sized = available !== null && room !== null && room > 0;
    if (sized && available > floorBytes(levels, severity, room)) continue;
    if (levels.mode === "expected_full") {
      if (sized) return severity;
      continue;
    }
    if (usedPercent >= (severity === "critical" ? levels.crit_percent : levels.warn_percent)) {
      return severity;
    }
  }
  return "ok";
}

/**
 * Why a disk that looks full reads calm, in words, or null when it does not: its used
 * percentage is past a level but its free space is above that level's size-aware floor
 * ("97 % used, 122 GiB free: more than the 100 GiB the warning needs"), or it is expected
 * full and still above its floor, or its alerts are ignored.
 */
export function calmReason(
  fs: SpaceInput,
  levels: Levels = DEFAULT_LEVELS,
  formatBytes: (bytes: number) => string = (b) => `${Math.round(b / GIB)} GiB`,
): string | null {
  if (usageLevel(fs, levels) !== "ok") return null;
  if (levels.mode === "ignore") return "alerts ignored for this disk";
  const available = fs.available_bytes ?? null;
  const used = fs.used_bytes ?? null;
  const room = used !== null && available !== null ? used + available : (fs.total_bytes ?? null);
  if (available === null || room === null || room <= 0) return null;
  const usedPercent = used !== null ? (used / room) * 100 : fs.percent;
  const shown = `${usedPercent.toFixed(0)} % used, ${formatBytes(available)} free`;
  if (levels.mode === "expected_full") {
    if (usedPercent < levels.warn_percent) return null;
    return `${shown}: expected full, warns only under ${formatBytes(floorBytes(levels, "warning", room))} free`;
  }
  // Past a level yet calm: its free space is above the warning's floor (the larger one).
  if (usedPercent < levels.warn_percent) return null;
  const floor = floorBytes(levels, "warning", room);
  return `${shown}: more than the ${formatBytes(floor)} free a warning needs`;
}

/** The usage levels of a mount in a few words: "warn 85 % / crit 95 %", "expected full", "ignored". */
export function describeLevels(levels: Levels): string {
  if (levels.mode === "ignore") return "ignored";
  if (levels.mode === "expected_full") return "expected full";
  return `warn ${levels.warn_percent} % / crit ${levels.crit_percent} %`;
}

/**
 * Time-to-full colour: only a confident forecast within the alert's days raises it (a fill date
 * exactly 3 days away is red, as the hub's `fill_severity` has it).
 */
export function fillLevel(
  daysUntilFull: number | null | undefined,
  confident: boolean,
  levels: Levels = DEFAULT_LEVELS,
): UsageLevel {
  if (levels.mode === "ignore") return "ok";
  if (!confident || daysUntilFull === null || daysUntilFull === undefined) return "ok";
  if (daysUntilFull <= levels.crit_days) return "critical";
  if (daysUntilFull <= levels.warn_days) return "warning";
  return "ok";
}

export interface DiskUrgencyInput extends SpaceInput {
  days_until_full?: number | null;
  confident?: boolean;
  state?: string | null;
}

/**
 * The one urgency scale of a disk, used by the fleet card, the disk list and the chart: the
 * worse of its free space and its confident time to full, on the alerts' levels. A mount
 * that is missing or does not answer is red.
 */
export function diskUrgency(fs: DiskUrgencyInput, levels: Levels = DEFAULT_LEVELS): UsageLevel {
  if (fs.state === "missing" || fs.state === "unreachable") return "critical";
  return worst(
    usageLevel(fs, levels),
    fillLevel(fs.days_until_full, fs.confident ?? false, levels),
  );
}

export type Freshness = "fresh" | "stale" | "offline";

/**
 * How current a server's data is, judged in the browser from its age, so a page that could
 * not reach the hub for a while does not keep saying "online". `offlineAfterSeconds` is the
 * hub's threshold (`useOfflineAfterSeconds()`).
 */
export function freshness(
  server: { status: string; last_seen_at?: string | null; latest_heartbeat_at?: string | null },
  now: number = Date.now(),
  offlineAfterSeconds: number = OFFLINE_AFTER_SECONDS,
): Freshness {
  const seen = server.last_seen_at ? Date.parse(server.last_seen_at) : null;
  if (server.status === "offline" || seen === null) return "offline";
  if ((now - seen) / 1000 > offlineAfterSeconds) return "offline";
  const data = server.latest_heartbeat_at ? Date.parse(server.latest_heartbeat_at) : seen;
  if ((now - data) / 1000 > STALE_AFTER_SECONDS) return "stale";
  return "fresh";
}
