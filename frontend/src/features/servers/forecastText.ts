import { formatDate, formatFullIn } from "../../lib/format";
import type { FilesystemRead } from "../../types/server";

type Forecast = Pick<
  FilesystemRead,
  | "days_until_full"
  | "full_at"
  | "full_at_earliest"
  | "full_at_latest"
  | "confident"
  | "forecast_basis"
  | "forecast_reason"
> &
  /** Whose date it is, as the hub says (a capacity domain has none: it is its own). */
  Partial<Pick<FilesystemRead, "fill_source" | "fill_domain_label" | "own_full_at">>;

const DAY_MS = 86_400_000;

/** Whole days from `now` until `iso` (0 once it has passed). */
function daysUntil(iso: string, now: number): number {
  return Math.max(Math.floor((Date.parse(iso) - now) / DAY_MS), 0);
}

/**
 * "full in 12 days", or "fills with pool tank in 12 days" when the hub dates it by the storage it
 * shares with other mounts (its pool fills first).
 */
export function fillsIn(fs: Forecast): string | null {
  const fullIn = formatFullIn(fs.days_until_full);
  if (!fullIn || fs.fill_source !== "domain" || !fs.fill_domain_label) return fullIn;
  return fullIn.replace(/^full in/, `fills with ${fs.fill_domain_label} in`);
}

/**
 * "full in 12 days (10–15)": the fill date with its range in days, or null without a date.
 * The range is left out when it is a single day; an open end ("10–…") means it may never fill.
 */
export function fullInWithRange(fs: Forecast, now: number = Date.now()): string | null {
  const fullIn = fillsIn(fs);
  if (!fullIn || !fs.full_at) return null;
  const earliest = fs.full_at_earliest ? daysUntil(fs.full_at_earliest, now) : null;
  const latest = fs.full_at_latest ? daysUntil(fs.full_at_latest, now) : null;
  if (earliest === null) return fullIn;
  if (latest === null) return `${fullIn} (${earliest}–…)`;
  return earliest === latest ? fullIn : `${fullIn} (${earliest}–${latest})`;
}

type InodeForecast = Pick<
  FilesystemRead,
  | "full_at"
  | "inodes_days_until_full"
  | "inodes_full_at"
  | "inodes_full_at_earliest"
  | "inodes_full_at_latest"
  | "inodes_confident"
>;

/**
 * "inodes full in 15 days (14–16)" when the filesystem runs out of inodes before it runs out of
 * space (or has no space date at all): the nearer risk. Null otherwise.
 */
export function inodesFullIn(fs: InodeForecast, now: number = Date.now()): string | null {
  const at = fs.inodes_full_at;
  if (!at || (fs.full_at && Date.parse(fs.full_at) <= Date.parse(at))) return null;
  const text = fullInWithRange(
    {
      days_until_full: fs.inodes_days_until_full ?? null,
      full_at: at,
      full_at_earliest: fs.inodes_full_at_earliest ?? null,
      full_at_latest: fs.inodes_full_at_latest ?? null,
      confident: fs.inodes_confident ?? false,
      forecast_basis: null,
      forecast_reason: null,
    },
    now,
  );
  return text ? `inodes ${text}` : null;
}

/** The reason worth showing beside the date: a peak, a prune cycle, steps or acceleration. */
export function forecastReason(fs: Forecast): string | null {
  const shown = fs.forecast_basis && fs.forecast_basis !== "trend";
  const accelerating = fs.forecast_reason === "growth accelerating";
  return (shown || accelerating) && fs.forecast_reason ? fs.forecast_reason : null;
}

/** A tooltip that says how sure the date is (and, for a shared pool's date, the own one). */
export function forecastCertainty(fs: Forecast): string {
  const sure = fs.confident
    ? "confident: enough history and a narrow range"
    : "tentative: little history or a wide range";
  if (fs.fill_source !== "domain") return sure;
  const own = fs.own_full_at
    ? `its own growth alone would fill it on ${formatDate(fs.own_full_at)}`
    : "its own growth alone would not fill it";
  return `${sure}; the date of ${fs.fill_domain_label ?? "the storage it shares"}, which its other mounts fill too — ${own}`;
}
