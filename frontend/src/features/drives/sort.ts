import { HEALTH_RANK } from "./health";
import type { DriveRead } from "./types";

export const DRIVE_SORTS = ["health", "server", "temperature", "hours", "model"] as const;
export type DriveSort = (typeof DRIVE_SORTS)[number];
export type SortOrder = "asc" | "desc";

export const isDriveSort = (value: string | null): value is DriveSort =>
  (DRIVE_SORTS as readonly string[]).includes(value ?? "");

/** Each column's first order: the worst, hottest and oldest first; names A to Z. */
export const DEFAULT_ORDER: Record<DriveSort, SortOrder> = {
  health: "desc",
  server: "asc",
  temperature: "desc",
  hours: "desc",
  model: "asc",
};

type Key = number | string | null | undefined;

const KEYS: Record<DriveSort, (d: DriveRead) => Key> = {
  health: (d) => HEALTH_RANK[d.health],
  server: (d) => d.server_id,
  temperature: (d) => d.temperature_celsius,
  hours: (d) => d.power_on_hours,
  model: (d) => d.model?.toLowerCase(),
};

function compare(a: Key, b: Key): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

/**
 * The drives sorted by a column; a drive without the figure (no temperature, no model) goes
 * last either way, and ties keep the hub's order (worst first, then server and name).
 */
export function sortDrives(drives: readonly DriveRead[], by: DriveSort, order: SortOrder) {
  const key = KEYS[by];
  const sign = order === "asc" ? 1 : -1;
  return drives
    .map((drive, index) => ({ drive, index, value: key(drive) }))
    .sort((a, b) => {
      const missingA = a.value === null || a.value === undefined;
      const missingB = b.value === null || b.value === undefined;
      if (missingA !== missingB) return missingA ? 1 : -1;
      const byValue = missingA ? 0 : sign * compare(a.value, b.value);
      return byValue || a.index - b.index;
    })
    .map(({ drive }) => drive);
}
