"""Usage scans as the hub knows them: request states, who asks, and growth between two scans."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

# An open request no scan answered within this long is given up: the agent was off, or
# ignored it (an older agent).
REQUEST_LIFETIME = timedelta(hours=24)
# Closed requests are kept this long after they closed (the scan list names scans, not these).
CLOSED_KEPT = timedelta(days=30)
# A forecast asks again only once the last scan of the filesystem is older than this.
RESCAN_AFTER = timedelta(days=1)
# Scans kept per filesystem: the newest, and never fewer than two with a tree (what growth
# compares), whatever number of failed scans came since.
SCANS_KEPT = 5
SCANS_WITH_TREE_KEPT = 2
# Filesystem types on the far side of a network (or a VM boundary): never asked for by the hub.
NETWORK_FS_PREFIXES = ("nfs", "cifs", "smb", "fuse.sshfs", "sshfs", "9p", "ceph", "glusterfs")
NETWORK_FS_TYPES = frozenset(
    {"afs", "coda", "davfs", "fuse.rclone", "fuse.s3fs", "fuse.davfs2", "lustre", "ncpfs"}
)


class UsageScanState(StrEnum):
    """Where a scan request stands: open while pending or running."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"


OPEN_STATES = (UsageScanState.PENDING, UsageScanState.RUNNING)


class RequestedBy(StrEnum):
    """Who asked: the hub, for a filesystem whose fill date came near, or a person."""

    FORECAST = "forecast"
    PERSON = "person"


class StoppedBy(StrEnum):
    """Which budget stopped a scan early (its result is partial)."""

    TIME = "time"
    ENTRIES = "entries"


def printable(path: str) -> str:
    """A path on one line, as the agent's `filesystems --explain` shows it: control characters
    and backslashes as the kernel's octal escapes (a newline is \\012, a backslash \\134), so
    an agent's path can never start a new line of a message."""
    return "".join(f"\\{ord(c):03o}" if c == "\\" or ord(c) < 0x20 else c for c in path)


def is_network_fs(fs_type: str) -> bool:
    """Whether a filesystem type is a network (or VM-shared) one, scanned only when enabled."""
    kind = fs_type.lower()
    return kind in NETWORK_FS_TYPES or kind.startswith(NETWORK_FS_PREFIXES)


@dataclass(frozen=True, slots=True)
class Growth:
    """How one directory changed between two scans."""

    path: str
    bytes_then: int
    bytes_now: int

    @property
    def change(self) -> int:
        """bytes_now - bytes_then: negative when it shrank."""
        return self.bytes_now - self.bytes_then


def growth(then: Iterable[tuple[str, int]], now: Iterable[tuple[str, int]]) -> list[Growth]:
    """Directories whose size changed, path by path: growers first, largest change first, then
    shrinkers, largest shrink first; ties by path.

    Only paths both scans kept are compared: a directory one scan did not keep is unknown there,
    not empty, so it is never reported as grown from (or shrunk to) zero.
    """
    before = dict(then)
    changed = [
        Growth(path, before[path], size)
        for path, size in now
        if path in before and size != before[path]
    ]
    growers = sorted((g for g in changed if g.change > 0), key=lambda g: (-g.change, g.path))
    shrinkers = sorted((g for g in changed if g.change < 0), key=lambda g: (g.change, g.path))
    return growers + shrinkers
