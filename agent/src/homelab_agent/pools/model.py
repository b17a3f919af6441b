"""What the agent reports per pool or array (the `pools` list of the heartbeat, ADR 0004)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PoolKind = Literal["zfs", "md", "btrfs"]


@dataclass(frozen=True, slots=True)
class PoolScan:
    """A ZFS pool's last or running scrub or resilver."""

    function: str  # scrub | resilver
    state: str  # scanning | finished | canceled
    started_at: str | None = None
    ended_at: str | None = None
    progress_percent: float | None = None
    examined_bytes: int | None = None
    to_examine_bytes: int | None = None
    repaired_bytes: int | None = None
    errors: int | None = None


@dataclass(frozen=True, slots=True)
class PoolDevice:
    """A vdev (ZFS, a tree), a member (md) or a device (btrfs) with its error counters."""

    name: str
    state: str | None = None
    kind: str | None = None  # ZFS vdev type: root, mirror, raidz1, disk, file, …
    path: str | None = None
    read_errors: int | None = None
    write_errors: int | None = None
    checksum_errors: int | None = None
    # btrfs only (btrfs-device(8), DEVICE STATS).
    flush_errors: int | None = None
    corruption_errors: int | None = None
    generation_errors: int | None = None
    note: str | None = None
    children: list[PoolDevice] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PoolSample:
    """One ZFS pool, md array or btrfs filesystem."""

    kind: PoolKind
    name: str
    state: str
    source: str
    degraded: bool | None = None
    size_bytes: int | None = None
    allocated_bytes: int | None = None
    free_bytes: int | None = None
    # ZFS: the pool's status, action and errors lines; data_errors from error_count.
    status: str | None = None
    action: str | None = None
    errors: str | None = None
    data_errors: int | None = None
    scan: PoolScan | None = None
    # md: RAID level, devices the array should have and has, sync action and progress.
    level: str | None = None
    raid_devices: int | None = None
    active_devices: int | None = None
    sync_action: str | None = None
    sync_progress_percent: float | None = None
    mismatch_count: int | None = None
    # btrfs: filesystem UUID, label and where it is mounted.
    uuid: str | None = None
    label: str | None = None
    mount_point: str | None = None
    devices: list[PoolDevice] = field(default_factory=list)


def leaf_devices(devices: list[PoolDevice]) -> list[PoolDevice]:
    """The leaves of a device tree (ZFS disks and files; md and btrfs devices are all leaves)."""
    leaves: list[PoolDevice] = []
    for device in devices:
        leaves += leaf_devices(device.children) if device.children else [device]
    return leaves
