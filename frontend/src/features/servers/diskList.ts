import type { FilesystemRead } from "../../types/server";

export type DiskSort = "problems" | "fullest" | "mount" | "soonest";

export const DISK_SORT_LABELS: Record<DiskSort, string> = {
  problems: "Problems first",
  fullest: "Fullest first",
  soonest: "Fills soonest",
  mount: "Mount point",
};

const byMount = (a: FilesystemRead, b: FilesystemRead) =>
  a.mount_point.localeCompare(b.mount_point);

/** The built-in warning horizon: a confident fill date this close is a problem to list first. */
export const SOON_DAYS = 14;

/** Days to a confident fill date within `SOON_DAYS`, else Infinity: what "full soon" sorts by. */
export function soonDays(fs: { confident?: boolean; days_until_full?: number | null }): number {
  const days = fs.days_until_full;
  return fs.confident && days != null && days <= SOON_DAYS ? days : Infinity;
}

/**
 * Filters by mount point, device or type (case-insensitive) and sorts; unreachable mounts lead.
 * "problems" (the default) puts disks filling within two weeks next, soonest first, then the
 * fullest.
 */
export function visibleFilesystems(
  filesystems: FilesystemRead[],
  filter: string,
  sort: DiskSort,
): FilesystemRead[] {
  const needle = filter.trim().toLowerCase();
  const matching = needle
    ? filesystems.filter((fs) =>
        [fs.mount_point, fs.device, fs.fs_type].some((text) => text.toLowerCase().includes(needle)),
      )
    : [...filesystems];
  const unreachableFirst = (a: FilesystemRead, b: FilesystemRead) =>
    Number(b.state === "unreachable") - Number(a.state === "unreachable");
  const compare: Record<DiskSort, (a: FilesystemRead, b: FilesystemRead) => number> = {
    problems: (a, b) =>
      unreachableFirst(a, b) || soonDays(a) - soonDays(b) || b.percent - a.percent || byMount(a, b),
    fullest: (a, b) => unreachableFirst(a, b) || b.percent - a.percent || byMount(a, b),
    soonest: (a, b) =>
      unreachableFirst(a, b) ||
      (a.days_until_full ?? Infinity) - (b.days_until_full ?? Infinity) ||
      b.percent - a.percent ||
      byMount(a, b),
    mount: byMount,
  };
  return matching.sort(compare[sort]);
}
