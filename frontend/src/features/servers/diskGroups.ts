import type { CapacityDomainRead, FilesystemRead } from "../../types/server";
import { soonDays, visibleFilesystems, type DiskSort } from "./diskList";

/** Filesystems that draw on one storage: a pool with its datasets, a union with its branches. */
export interface DiskGroup {
  key: string;
  domain: CapacityDomainRead | null;
  filesystems: FilesystemRead[];
  /** Mount points of the storage that are not rows of their own: binds, second mounts. */
  others: string[];
}

export interface DiskLayout {
  /** Expected mounts that are not mounted: shown first, the most bytes written underneath first. */
  missing: FilesystemRead[];
  groups: DiskGroup[];
}

const KIND_LABELS: Record<string, string> = {
  zfs_pool: "ZFS pool",
  zfs_dataset: "ZFS dataset with quota",
  btrfs: "btrfs",
  device: "device",
  network: "network share",
  union: "union",
  filesystem: "filesystem",
};

export const domainKindLabel = (kind: string): string => KIND_LABELS[kind] ?? kind;

/** The part of a domain key after its kind prefix (`zfs:rpool` → `rpool`). */
export const domainName = (key: string): string => key.slice(key.indexOf(":") + 1) || key;

/** Used share of the domain as df counts it; null without sizes. */
export function domainPercent(domain: CapacityDomainRead): number | null {
  const used = domain.used_bytes ?? null;
  const available = domain.available_bytes ?? null;
  if (used === null || available === null) return null;
  return used + available > 0 ? (used / (used + available)) * 100 : 0;
}

/** A group is shown as an expandable domain when it holds more than one mount. */
export const isGrouped = (group: DiskGroup): boolean =>
  group.domain !== null &&
  (group.filesystems.length > 1 || group.others.length > 0 || group.domain.kind === "union");

function rootKey(key: string, domains: Map<string, CapacityDomainRead>): string {
  let current = key;
  const seen = new Set<string>();
  for (;;) {
    const parent = domains.get(current)?.parent;
    if (!parent || !domains.has(parent) || seen.has(parent)) return current;
    seen.add(current);
    current = parent;
  }
}

/** Branch mount point → the union that shows it; the union with the most branches claims first. */
function unionClaims(domains: CapacityDomainRead[]): Map<string, string> {
  const claims = new Map<string, string>();
  const unions = domains
    .filter((d) => d.kind === "union" && d.union_of?.length)
    .sort((a, b) => (b.union_of?.length ?? 0) - (a.union_of?.length ?? 0));
  for (const union of unions) {
    for (const branch of union.union_of ?? [])
      if (!claims.has(branch)) claims.set(branch, union.key);
  }
  return claims;
}

function groupKey(
  fs: FilesystemRead,
  domains: Map<string, CapacityDomainRead>,
  claims: Map<string, string>,
): string {
  const claimed = claims.get(fs.mount_point);
  if (claimed) return claimed;
  const own = fs.capacity_domain ?? `fs:${fs.mount_point}`;
  return domains.has(own) ? rootKey(own, domains) : `fs:${fs.mount_point}`;
}

function matches(fs: FilesystemRead, needle: string): boolean {
  return [fs.mount_point, fs.device, fs.fs_type, fs.capacity_domain ?? ""].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

function groupRank(group: DiskGroup): {
  unreachable: boolean;
  percent: number;
  days: number;
  soon: number;
} {
  const percent =
    (group.domain && domainPercent(group.domain)) ??
    Math.max(...group.filesystems.map((fs) => fs.percent));
  const days =
    group.domain?.days_until_full ??
    Math.min(...group.filesystems.map((fs) => fs.days_until_full ?? Infinity));
  const unreachable = group.filesystems.some((fs) => fs.state === "unreachable");
  const soon = Math.min(
    group.domain ? soonDays(group.domain) : Infinity,
    ...group.filesystems.map(soonDays),
  );
  return { unreachable, percent, days, soon };
}

function compareGroups(sort: DiskSort) {
  return (a: DiskGroup, b: DiskGroup): number => {
    const ra = groupRank(a);
    const rb = groupRank(b);
    const byMount = a.filesystems[0]!.mount_point.localeCompare(b.filesystems[0]!.mount_point);
    if (sort === "mount") return byMount;
    const first = Number(rb.unreachable) - Number(ra.unreachable);
    if (sort === "soonest") return first || ra.days - rb.days || rb.percent - ra.percent || byMount;
    if (sort === "problems")
      return first || ra.soon - rb.soon || rb.percent - ra.percent || byMount;
    return first || rb.percent - ra.percent || byMount;
  };
}

/** The disk list: missing mounts first, then one group per storage, filtered and sorted. */
export function layoutDisks(
  filesystems: FilesystemRead[],
  domains: CapacityDomainRead[] | null | undefined,
  filter: string,
  sort: DiskSort,
): DiskLayout {
  const needle = filter.trim().toLowerCase();
  const byKey = new Map((domains ?? []).map((d) => [d.key, d]));
  const claims = unionClaims(domains ?? []);
  const missing = filesystems
    .filter((fs) => fs.state === "missing" && (!needle || matches(fs, needle)))
    .sort(
      (a, b) =>
        (b.shadowed_bytes ?? 0) - (a.shadowed_bytes ?? 0) ||
        a.mount_point.localeCompare(b.mount_point),
    );
  const groups = new Map<string, DiskGroup>();
  for (const fs of filesystems) {
    if (fs.state === "missing") continue;
    const key = groupKey(fs, byKey, claims);
    const group = groups.get(key) ?? {
      key,
      domain: byKey.get(key) ?? null,
      filesystems: [],
      others: [],
    };
    group.filesystems.push(fs);
    groups.set(key, group);
  }
  const shown: DiskGroup[] = [];
  for (const group of groups.values()) {
    const rows = new Set(group.filesystems.map((fs) => fs.mount_point));
    const related = [...byKey.values()].filter((d) => rootKey(d.key, byKey) === group.key);
    group.others = [...new Set(related.flatMap((d) => d.members ?? []))].filter(
      (m) => !rows.has(m),
    );
    const keyMatches = needle !== "" && group.key.toLowerCase().includes(needle);
    const kept = keyMatches
      ? group.filesystems
      : group.filesystems.filter((fs) => matches(fs, needle));
    if (!needle || kept.length > 0) {
      shown.push({ ...group, filesystems: visibleFilesystems(kept, "", sort) });
    }
  }
  return { missing, groups: shown.sort(compareGroups(sort)) };
}
