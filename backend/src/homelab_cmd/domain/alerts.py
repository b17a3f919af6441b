"""Alert conditions as pure rules: the levels a filesystem is held to, and what fires at them.

Every condition has a fire level and a lower clear level (hysteresis), so a value wandering
around the line does not fire and resolve on every heartbeat. See docs/alerts.md.
"""

from dataclasses import dataclass, fields, replace
from enum import StrEnum
from fnmatch import fnmatchcase
from typing import Any

GIB = 1024**3


class AlertKind(StrEnum):
    DISK_USED = "disk_used"
    TIME_TO_FULL = "time_to_full"
    INODES_USED = "inodes_used"
    # The inode forecast: a disk with room left can still run out of inodes (mail, caches).
    INODES_TIME_TO_FULL = "inodes_time_to_full"
    READ_ONLY = "read_only"
    UNREACHABLE = "unreachable"
    VANISHED = "vanished"
    MISSING = "missing"
    SERVER_OFFLINE = "server_offline"
    # Drives and pools (domain/drives.py, domain/pools.py): the subject is the drive's key
    # (`drive:wwn:0x…`) or the pool's (`zfs:tank`), in the alert's mount_point.
    DRIVE_HEALTH = "drive_health"
    POOL_DEGRADED = "pool_degraded"
    POOL_FAULTED = "pool_faulted"
    POOL_ERRORS = "pool_errors"
    SCRUB_OVERDUE = "scrub_overdue"
    SCRUB_ERRORS = "scrub_errors"


# Kinds about one mount: kept as they are (shown unknown) while their server is offline.
MOUNT_KINDS = frozenset(AlertKind) - {AlertKind.SERVER_OFFLINE}
POOL_KINDS = frozenset(
    {
        AlertKind.POOL_DEGRADED,
        AlertKind.POOL_FAULTED,
        AlertKind.POOL_ERRORS,
        AlertKind.SCRUB_OVERDUE,
        AlertKind.SCRUB_ERRORS,
    }
)
# Kinds about a drive or a pool: judged from readings already taken, so they fire at once.
STORAGE_KINDS = POOL_KINDS | {AlertKind.DRIVE_HEALTH}


class AlertState(StrEnum):
    PENDING = "pending"
    FIRING = "firing"
    RESOLVED = "resolved"


class Severity(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return 2 if self is Severity.CRITICAL else 1


class MountMode(StrEnum):
    DEFAULT = "default"
    # Meant to be full (backups, NVR): only the free-bytes floor and time to full apply.
    EXPECTED_FULL = "expected_full"
    IGNORE = "ignore"


# Size-aware free-bytes floors. In `default` mode a used-percent level fires only while the free
# space is also under min((100 - level) % of the size, cap): the percent rules small disks, the
# cap large ones, so a 20 TB array at 95 % (1 TB free) is not critical.
FLOOR_CAP_BYTES = {Severity.WARNING: 100 * GIB, Severity.CRITICAL: 20 * GIB}
# In `expected_full` mode the floor alone fires: min(fraction of the size, cap).
EXPECTED_FULL_FLOOR = {Severity.WARNING: (0.01, 50 * GIB), Severity.CRITICAL: (0.002, 10 * GIB)}
# A floor or fill-date alert clears once the value is this factor past its level.
CLEAR_FACTOR = 1.25


@dataclass(frozen=True)
class MountPolicy:
    """The levels one filesystem is held to: built-in defaults, then global, server, mount."""

    mode: MountMode = MountMode.DEFAULT
    warn_percent: float = 85.0
    crit_percent: float = 95.0
    # A used-percent alert clears below its level minus this (85 → 80, 95 → 90).
    clear_margin_percent: float = 5.0
    # None: the size-aware default above.
    warn_free_bytes: int | None = None
    crit_free_bytes: int | None = None
    warn_days: float = 14.0
    crit_days: float = 3.0
    inodes_warn_percent: float = 90.0
    inodes_crit_percent: float = 95.0

    def overridden(self, changes: dict[str, Any]) -> "MountPolicy":
        """This policy with every non-null field of `changes` applied."""
        values = {k: v for k, v in changes.items() if k in _FIELDS and v is not None}
        if not values:
            return self
        if "mode" in values:
            values["mode"] = MountMode(values["mode"])
        return replace(self, **values)

    def percent_level(self, severity: Severity) -> float:
        return self.crit_percent if severity is Severity.CRITICAL else self.warn_percent

    def floor_bytes(self, severity: Severity, total_bytes: int, held: bool = False) -> float:
        """Free bytes under which the disk condition may fire at `severity` (or stay, if held)."""
        explicit = self.crit_free_bytes if severity is Severity.CRITICAL else self.warn_free_bytes
        if explicit is not None:
            return explicit * CLEAR_FACTOR if held else explicit
        if self.mode is MountMode.EXPECTED_FULL:
            fraction, cap = EXPECTED_FULL_FLOOR[severity]
            return min(total_bytes * fraction, cap) * (CLEAR_FACTOR if held else 1.0)
        level = self.percent_level(severity) - (self.clear_margin_percent if held else 0.0)
        ceiling = FLOOR_CAP_BYTES[severity] * (CLEAR_FACTOR if held else 1.0)
        return min(total_bytes * (100.0 - level) / 100.0, ceiling)


_FIELDS = frozenset(f.name for f in fields(MountPolicy))


def pattern_matches(pattern: str, mount_point: str) -> bool:
    """A mount rule's pattern: an exact path or a shell glob (`/mnt/backup*`)."""
    return pattern == mount_point or fnmatchcase(mount_point, pattern)


def pattern_rank(pattern: str, mount_point: str) -> tuple[int, int]:
    """Which matching rule wins: an exact path, then the longest glob."""
    return (1 if pattern == mount_point else 0, len(pattern))


_LEVELS = (Severity.CRITICAL, Severity.WARNING)


def _held(current: Severity | None, severity: Severity) -> bool:
    return current is not None and current.rank >= severity.rank


def disk_severity(
    policy: MountPolicy, used_bytes: int, available_bytes: int, current: Severity | None
) -> Severity | None:
    """The used-space condition of one filesystem; `current` is its open alert's severity."""
    if policy.mode is MountMode.IGNORE:
        return None
    room = used_bytes + available_bytes
    if room <= 0:
        return None
    percent = used_bytes / room * 100.0
    by_percent = policy.mode is not MountMode.EXPECTED_FULL
    for severity in _LEVELS:
        held = _held(current, severity)
        # The level first: it is cheaper than the floor, and most disks are under it.
        if by_percent:
            level = policy.percent_level(severity) - (policy.clear_margin_percent if held else 0.0)
            if percent < level:
                continue
        if available_bytes <= policy.floor_bytes(severity, room, held):
            return severity
    return None


def fill_severity(
    policy: MountPolicy, days_left: float | None, current: Severity | None
) -> Severity | None:
    """Time to full (bytes or inodes) from a confident forecast (None when there is none)."""
    if policy.mode is MountMode.IGNORE or days_left is None:
        return None
    for severity in _LEVELS:
        level = policy.crit_days if severity is Severity.CRITICAL else policy.warn_days
        if _held(current, severity):
            level *= CLEAR_FACTOR
        if days_left <= level:
            return severity
    return None


def inode_severity(
    policy: MountPolicy, inodes_used: int | None, inodes_total: int | None, current: Severity | None
) -> Severity | None:
    """Inodes used percent, in `default` mode only (filesystems without inodes report none)."""
    if policy.mode is not MountMode.DEFAULT or not inodes_total or inodes_used is None:
        return None
    percent = inodes_used / inodes_total * 100.0
    for severity in _LEVELS:
        level = (
            policy.inodes_crit_percent
            if severity is Severity.CRITICAL
            else policy.inodes_warn_percent
        )
        if _held(current, severity):
            level -= policy.clear_margin_percent
        if percent >= level:
            return severity
    return None
