"""Usage scans as the hub knows them: request states, who asks, and growth between two scans."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

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
# Filesystem types on the far side of a network (or a VM boundary): never asked for by the hub,
# as the agent refuses them unless enabled per mount. A superset of the agent's list
# (homelab_agent/filesystems/filtering.py NETWORK_FS_TYPES, and 9p from usage/runner.py), which
# tests/services/usage/test_network.py keeps so.
NETWORK_FS_TYPES = frozenset(
    {
        "nfs", "nfs3", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ceph", "fuse.ceph",
        "fuse.ceph-fuse", "fuse.cephfs", "glusterfs", "fuse.glusterfs", "fuse.sshfs", "sshfs",
        "fuse.rclone", "fuse.s3fs", "fuse.davfs2", "davfs", "lustre", "afs", "coda", "ncpfs",
        "9p",
    }
)  # fmt: skip
# A device that names a server, as the agent reads a mount's source: //host/share, [v6]:/path,
# host:/path.
_NETWORK_SOURCE = re.compile(r"^(//[^/]+/|\[[0-9a-fA-F:.]+\]:|[^/\s:]+:/)")
# A directory whose change lies at least this share in one listed subdirectory is named by that
# subdirectory alone (where_it_happened; the web UI's "What grew" applies the same share).
EXPLAINED_SHARE = 0.9


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


class GrowthBasis(StrEnum):
    """What a filesystem's growth compares, or why there is none to show."""

    COMPLETE = "complete"  # the latest scan against the newest complete one before it
    LATEST_PARTIAL = "latest_partial"  # the latest scan is partial: its sizes are not comparable
    NO_BASELINE = "no_baseline"  # no complete scan before the latest one
    NOT_SCANNED = "not_scanned"  # no scan with a tree yet


def is_complete(stopped_by: str | None, links_over_budget: int) -> bool:
    """Whether a scan's sizes can be compared with another's.

    A scan a budget stopped holds lower bounds (what it had not reached yet is missing), and
    one whose agent ran out of room for hard links may count a file twice (upper bounds): a
    change against either would be a difference of two unknowns, shown as growth or shrinkage
    of hundreds of GiB.
    """
    return stopped_by is None and links_over_budget == 0


def printable(path: str) -> str:
    """A path on one line, as the agent's `filesystems --explain` shows it: control characters
    and backslashes as the kernel's octal escapes (a newline is \\012, a backslash \\134), so
    an agent's path can never start a new line of a message."""
    return "".join(f"\\{ord(c):03o}" if c == "\\" or ord(c) < 0x20 else c for c in path)


def is_network_fs(fs_type: str, device: str = "") -> bool:
    """Whether a filesystem is a network (or VM-shared) one, scanned only when enabled: by its
    type, or by a device that names a server. A snapshot's capacity domain of kind `network`
    says so too (services/usage/requests.py reads it where the agent reports domains)."""
    return fs_type.lower() in NETWORK_FS_TYPES or bool(_NETWORK_SOURCE.match(device))


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


class Change(Protocol):
    """A directory's change between two scans, as a grower list holds it."""

    @property
    def path(self) -> str: ...

    @property
    def change(self) -> int: ...


C = TypeVar("C", bound=Change)


def _is_below(path: str, ancestor: str) -> bool:
    prefix = ancestor if ancestor.endswith("/") else ancestor + "/"
    return path != ancestor and path.startswith(prefix)


def _nearest_listed_above(paths: Iterable[str]) -> dict[str, str]:
    """Each path's nearest ancestor among `paths`, for those that have one.

    Sorted by their components, a directory comes right before its subtree and the subtree is
    contiguous, so one stack of the current chain of ancestors finds them all: each path is
    pushed and popped once, however deep the tree (no walk up path by path, which costs the
    depth times the length for each of a hostile agent's 2,000-level paths).
    """
    above: dict[str, str] = {}
    chain: list[str] = []
    for path in sorted(set(paths), key=lambda p: p.rstrip("/").split("/")):
        while chain and not _is_below(path, chain[-1]):
            chain.pop()
        if chain:
            above[path] = chain[-1]
        chain.append(path)
    return above


def where_it_happened(changes: Sequence[C], mount_point: str) -> list[C]:
    """Each change named once, where it happened, in the order given.

    "+46 GiB /srv/frigate, +46 GiB /srv/frigate/recordings" is one fact: a directory whose
    change lies almost all (EXPLAINED_SHARE) in one listed subdirectory, the same way, is left
    to that subdirectory, so the deepest directory that carries a change names it. A directory
    whose change is spread over several subdirectories is named with them. The mount point's
    own entry is the whole filesystem's change (what the alert or the total already says) and
    is left out, as are directories that did not change.

    The report, the time-to-full alert and the stored growers apply this; the web UI's
    topChanges (frontend/src/features/usage/growth.ts) agrees on tests/contract/usage_growth.json.
    """
    moved = [c for c in changes if c.change != 0]
    # The largest growth and the largest shrink below each listed directory, carried up from
    # the deepest paths to the nearest listed directory above, never past the mount point:
    # each change is handed up once, so the work stays near linear in the listed paths.
    above = _nearest_listed_above(c.path for c in moved)
    grown_below: dict[str, int] = {}
    shrunk_below: dict[str, int] = {}
    own = {c.path: c.change for c in moved}
    for path in sorted(above, key=len, reverse=True):  # a child's path is longer
        if path == mount_point or not _is_below(path, mount_point):
            continue
        parent = above[path]
        for below, change in ((grown_below, own[path]), (shrunk_below, -own[path])):
            below[parent] = max(below.get(parent, 0), below.get(path, 0), change)
    return [
        c
        for c in moved
        if c.path != mount_point
        and (grown_below if c.change > 0 else shrunk_below).get(c.path, 0)
        < EXPLAINED_SHARE * abs(c.change)
    ]
