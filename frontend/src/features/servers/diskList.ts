import type { FilesystemRead } from "../../types/server";

export type DiskSort = "fullest" | "mount" | "soonest";

export const DISK_SORT_LABELS: Record<DiskSort, string> = {
  fullest: "Fullest first",
  soonest: "Fills soonest",
  mount: "Mount point",
};

const byMount = (a: FilesystemRead, b: FilesystemRead) =>
  a.mount_point.localeCompare(b.mount_point);

/** Filters by mount point, device or type (case-insensitive) and sorts; unreachable mounts lead. */
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
