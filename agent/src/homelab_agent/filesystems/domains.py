"""Capacity domains: the mounts that draw on one pool of storage, so it is counted once.

Every ZFS dataset of a pool shares the pool's free space; btrfs subvolumes, bind mounts and two
mounts of one NFS export show the same numbers. A domain names that storage: the ZFS pool (a
dataset whose quota leaves it less room than its pool is a child domain of its own), the btrfs
filesystem, the block device, the network export. A union (mergerfs, Unraid's shfs) is a domain
of its own that lists the mount points of its branches in `union_of`.

`plan_domains` works from the mount table alone (so `--mount-table` files show domains too);
`size_domains` adds the sizes once statvfs has answered, which is also when quota datasets can be
told from the pool (their available space is smaller).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from homelab_agent.filesystems.filtering import Decision, is_network, under_prefix
from homelab_agent.filesystems.mounts import Mount, clean_text
from homelab_agent.filesystems.statfs import Usage
from homelab_agent.payload import CapacityDomainSample

DomainKind = Literal["zfs_pool", "zfs_dataset", "btrfs", "device", "network", "union"]
UNION_FS_TYPES = frozenset({"fuse.mergerfs", "mergerfs", "fuse.shfs"})
# Unraid's folders under /mnt that are not pools or array disks.
_UNRAID_NOT_BRANCHES = frozenset(
    {"/mnt/user", "/mnt/user0", "/mnt/disks", "/mnt/remotes", "/mnt/addons", "/mnt/rootshare"}
)
_UNRAID_ARRAY_DISK = re.compile(r"^/mnt/disk\d+$")
# Two statvfs calls on one pool are not simultaneous; free space may move a little between them.
# A dataset with this much less room than its pool is held back by a quota.
QUOTA_MIN_GAP_BYTES = 64 * 1024 * 1024
QUOTA_MIN_GAP_FRACTION = 0.001


@dataclass(slots=True)
class DomainPlan:
    """A domain as the mount table shows it: its key, kind, and which mounts belong to it."""

    key: str
    kind: DomainKind
    filesystems: list[Mount] = field(default_factory=list)  # the reported mounts
    others: list[Mount] = field(default_factory=list)  # binds, subvolumes, second mounts
    union_of: list[str] | None = None

    @property
    def members(self) -> list[str]:
        """Mount points of every mount in the domain, reported filesystems first."""
        return [clean_text(m.mount_point) for m in [*self.filesystems, *self.others]]


def zfs_pool(mount: Mount) -> str:
    """The pool of a ZFS dataset (`rpool/data/x` → `rpool`)."""
    return mount.source.split("/", 1)[0]


def domain_key(mount: Mount) -> tuple[str, DomainKind]:
    """Key and kind of the storage a kept mount draws on."""
    if mount.fs_type in UNION_FS_TYPES:
        return "union:" + clean_text(mount.mount_point), "union"
    if mount.fs_type == "zfs":
        return "zfs:" + clean_text(zfs_pool(mount)), "zfs_pool"
    source = clean_text(mount.source)
    if is_network(mount):
        return "net:" + source.rstrip("/"), "network"
    kind: DomainKind = "btrfs" if mount.fs_type == "btrfs" else "device"
    prefix = "btrfs:" if kind == "btrfs" else "dev:"
    if mount.source.startswith("/"):
        return prefix + source, kind
    if mount.device_number is not None:
        return prefix + mount.device_number, kind
    return "mnt:" + clean_text(mount.mount_point), kind


def _containing(path: str, mount_points: Sequence[str]) -> str | None:
    best: str | None = None
    for mp in mount_points:
        if under_prefix(path, mp) and (best is None or len(mp) > len(best)):
            best = mp
    return best


def _mergerfs_branches(union: Mount, kept: Sequence[str]) -> list[str]:
    # The source is mergerfs's fsname: by default its branches joined by ':' (with their common
    # prefix removed); globs (`/mnt/disk*`) as given. A custom fsname names no branch.
    found: list[str] = []
    for item in union.source.split(":"):
        if not item:
            continue
        if any(ch in item for ch in "*?["):
            found += [mp for mp in kept if fnmatch.fnmatchcase(mp, item.rstrip("/"))]
        elif item.startswith("/"):
            owner = _containing(item, kept)
            if owner is not None:
                found.append(owner)
        else:
            found += [mp for mp in kept if mp.endswith("/" + item.strip("/"))]
    return [mp for mp in dict.fromkeys(found) if mp != union.mount_point]


def _shfs_branches(union: Mount, kept: Sequence[str]) -> list[str]:
    # Unraid: /mnt/user spans the array disks and the pools; /mnt/user0 the array disks only.
    def depth_one(mp: str) -> bool:
        return mp.startswith("/mnt/") and "/" not in mp[len("/mnt/") :]

    if union.mount_point == "/mnt/user0":
        return [mp for mp in kept if _UNRAID_ARRAY_DISK.match(mp)]
    return [mp for mp in kept if depth_one(mp) and mp not in _UNRAID_NOT_BRANCHES]


def union_branches(union: Mount, kept: Sequence[str]) -> list[str]:
    """Mount points of the reported filesystems a union is made of."""
    if union.fs_type == "fuse.shfs":
        return _shfs_branches(union, kept)
    return _mergerfs_branches(union, kept)


def plan_domains(decisions: Sequence[Decision]) -> list[DomainPlan]:
    """Domains of the kept mounts, in table order, with the mounts folded into them."""
    plans: dict[str, DomainPlan] = {}
    by_mount: dict[int, DomainPlan] = {}
    for d in decisions:
        if d.kept:
            key, kind = domain_key(d.mount)
            plan = plans.setdefault(key, DomainPlan(key, kind))
            plan.filesystems.append(d.mount)
            by_mount[id(d.mount)] = plan
    for d in decisions:
        if d.same_as is not None and id(d.same_as) in by_mount:
            by_mount[id(d.same_as)].others.append(d.mount)
    kept = [d.mount.mount_point for d in decisions if d.kept]
    for plan in plans.values():
        if plan.kind == "union":
            branches = union_branches(plan.filesystems[0], kept)
            plan.union_of = [clean_text(b) for b in branches]
    return list(plans.values())


def domain_by_mount(plans: Sequence[DomainPlan]) -> dict[str, str]:
    """Mount point (as reported) → domain key, from the table alone."""
    return {clean_text(m.mount_point): p.key for p in plans for m in p.filesystems}


def _quota_gap(pool_available: int) -> int:
    return max(QUOTA_MIN_GAP_BYTES, int(pool_available * QUOTA_MIN_GAP_FRACTION))


def _sum_used(mounts: Sequence[Mount], usage: Mapping[str, Usage]) -> int | None:
    answered = [usage[m.mount_point] for m in mounts if m.mount_point in usage]
    return sum(u.used_bytes for u in answered) if answered else None


def _zfs_domains(plan: DomainPlan, usage: Mapping[str, Usage]) -> list[CapacityDomainSample]:
    answered = [m for m in plan.filesystems if m.mount_point in usage]
    if not answered:
        return [CapacityDomainSample(plan.key, plan.kind, plan.members)]
    pool_available = max(usage[m.mount_point].available_bytes for m in answered)
    gap = _quota_gap(pool_available)
    limited = {
        m.source: m for m in answered if usage[m.mount_point].available_bytes < pool_available - gap
    }

    def owner(dataset: str) -> str | None:
        # The nearest dataset at or above this one whose quota holds it back.
        parts = dataset.split("/")
        for n in range(len(parts), 1, -1):
            name = "/".join(parts[:n])
            if name in limited:
                return name
        return None

    groups: dict[str | None, list[Mount]] = {}
    for m in plan.filesystems:
        groups.setdefault(owner(m.source), []).append(m)
    pool_used = _sum_used(plan.filesystems, usage) or 0
    domains = [_pool_domain(plan, groups.get(None, []), pool_used, pool_available)]
    for dataset in sorted(limited, key=lambda name: name.count("/")):
        parent_name = owner(dataset.rsplit("/", 1)[0]) if "/" in dataset else None
        parent = plan.key if parent_name is None else "zfs:" + clean_text(parent_name)
        subtree = [m for m in plan.filesystems if under_prefix(m.source, dataset)]
        used = _sum_used(subtree, usage) or 0
        available = usage[limited[dataset].mount_point].available_bytes
        domains.append(
            CapacityDomainSample(
                key="zfs:" + clean_text(dataset),
                kind="zfs_dataset",
                members=_members(groups.get(dataset, []), plan.others),
                total_bytes=used + available,
                used_bytes=used,
                available_bytes=available,
                parent=parent,
            )
        )
    return domains


def _members(filesystems: Sequence[Mount], others: Sequence[Mount]) -> list[str]:
    # The binds of a dataset go with the dataset (same source).
    sources = {m.source for m in filesystems}
    binds = [o for o in others if o.source in sources]
    return [clean_text(m.mount_point) for m in [*filesystems, *binds]]


def _pool_domain(
    plan: DomainPlan, own: Sequence[Mount], used: int, available: int
) -> CapacityDomainSample:
    return CapacityDomainSample(
        key=plan.key,
        kind=plan.kind,
        members=_members(own, plan.others),
        total_bytes=used + available,
        used_bytes=used,
        available_bytes=available,
    )


def size_domains(
    plans: Sequence[DomainPlan], usage: Mapping[str, Usage]
) -> list[CapacityDomainSample]:
    """Domains with sizes; `usage` holds the mounts that answered statvfs, by mount point."""
    domains: list[CapacityDomainSample] = []
    for plan in plans:
        if plan.kind == "zfs_pool":
            domains += _zfs_domains(plan, usage)
            continue
        answered = [usage[m.mount_point] for m in plan.filesystems if m.mount_point in usage]
        # One filesystem, seen through one or more mounts: its figures, not their sum.
        best = max(answered, key=lambda u: u.total_bytes) if answered else None
        domains.append(
            CapacityDomainSample(
                key=plan.key,
                kind=plan.kind,
                members=plan.members,
                total_bytes=best.total_bytes if best else None,
                used_bytes=best.used_bytes if best else None,
                available_bytes=best.available_bytes if best else None,
                union_of=plan.union_of,
            )
        )
    return domains


def mount_domains(domains: Sequence[CapacityDomainSample]) -> dict[str, str]:
    """Mount point → key of the domain that lists it (quota datasets in their child domain)."""
    out: dict[str, str] = {}
    for domain in domains:
        for member in domain.members:
            out.setdefault(member, domain.key)
    return out
