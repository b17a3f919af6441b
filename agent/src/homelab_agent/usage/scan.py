"""The walk: one filesystem, single-threaded, allocated bytes per directory, within budgets.

`os.scandir` with `lstat` information (symlinks are never followed). Where the filesystem ends
is the mount table's word: the mount points below the scanned root (nested mounts and bind
mounts alike, even a bind mount of this same filesystem, which no device number can tell) are
neither entered nor counted. A change of `st_dev` alone is no boundary: a btrfs subvolume has a
device number of its own without being mounted, and its bytes are this filesystem's. Without a
mount table (`mounts=None`) the walk falls back to stopping where `st_dev` changes. Sizes are
allocated bytes (`st_blocks * 512`), so a sparse file counts what it occupies, and a file with
several hard links counts once (links.py). Only the bounded tree (`tree.py`), the directories on
the current path and the pending hard links are held.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from homelab_agent.usage.links import MAX_PENDING_LINKS, LinkTable
from homelab_agent.usage.model import StoppedBy, UsageScan, utc_stamp
from homelab_agent.usage.tree import Node, finish, flatten, largest

# The clock and the cancel flag are looked at every this many entries, and at every directory.
CHECK_EVERY = 512


class ScanCancelled(Exception):
    """The agent is stopping: the scan was abandoned and has no result."""


@dataclass(frozen=True)
class Budgets:
    """What bounds one scan: time, entries, and the size of the tree kept."""

    time_seconds: float = 300.0
    entries: int = 5_000_000
    max_children: int = 12
    max_nodes: int = 1000  # directories kept in the whole tree
    max_depth: int = 4
    links: int = MAX_PENDING_LINKS  # hard-linked files remembered at once (links.py)


@dataclass
class Progress:
    """What a running scan has done so far; another thread may read it at any time."""

    entries: int = 0
    cancel: Callable[[], bool] = field(default=lambda: False)


@dataclass(slots=True)
class _Frame:
    path: bytes
    name: bytes
    depth: int
    allocated: int
    subdirs: list[bytes] = field(default_factory=list)
    next: int = 0
    children: list[Node] = field(default_factory=list)


class _Walk:
    """One scan's state: counters, budgets and the hard links met so far."""

    def __init__(
        self, dev: int, budgets: Budgets, progress: Progress, mounts: set[bytes] | None
    ) -> None:
        self.dev = dev
        self.budgets = budgets
        self.progress = progress
        self.entries = 0
        self.unreadable = 0
        self.stopped_by: StoppedBy | None = None
        self.links = LinkTable(budgets.links)
        self.links_over_budget = 0
        self.deadline = time.monotonic() + budgets.time_seconds
        # Mount points below the root, by parent directory: a listing looks names up only in a
        # directory that has one. None: no mount table, device numbers decide.
        self.mounts: dict[bytes, set[bytes]] | None = None
        if mounts is not None:
            self.mounts = {}
            for path in mounts:
                parent, _, name = path.rpartition(b"/")
                self.mounts.setdefault(parent or b"/", set()).add(name)

    def check(self) -> bool:
        """False once the time is spent; raises when the agent stops.

        The entry budget is checked before each entry instead, so a scan that ends exactly at
        the budget is complete, not stopped.
        """
        self.progress.entries = self.entries
        if self.progress.cancel():
            raise ScanCancelled
        if self.stopped_by is None and time.monotonic() >= self.deadline:
            self.stopped_by = "time"
        return self.stopped_by is None

    def first_link(self, dev: int, ino: int, nlink: int) -> bool:
        """Whether this is the first link of a hard-linked file met in this scan."""
        first = self.links.first_link(dev, ino, nlink)
        if first is None:  # the table is full: counted, perhaps once more than it should be
            self.links_over_budget += 1
            return True
        return first

    def list_directory(self, frame: _Frame) -> None:
        """Add the directory's files to its bytes and remember its subdirectories."""
        mounted = self.mounts.get(frame.path) if self.mounts is not None else None
        try:
            with os.scandir(frame.path) as listing:
                for entry in listing:
                    if self.entries >= self.budgets.entries:
                        self.stopped_by = "entries"
                        return
                    self.entries += 1
                    if mounted is not None and entry.name in mounted:
                        continue  # a mount point (a file may be bind-mounted too): not ours
                    self._entry(frame, entry)
                    if self.entries % CHECK_EVERY == 0 and not self.check():
                        return
        except OSError:  # unreadable, or gone or broken while listed: counted, the scan goes on
            self.unreadable += 1

    def _entry(self, frame: _Frame, entry: os.DirEntry[bytes]) -> None:
        try:
            if entry.is_dir(follow_symlinks=False):
                frame.subdirs.append(entry.name)
                return
            info = entry.stat(follow_symlinks=False)
        except OSError:  # removed since the listing
            return
        if self.mounts is None and info.st_dev != self.dev:
            return  # no mount table: a file on another device is taken for a bind mount
        if info.st_nlink > 1 and not self.first_link(info.st_dev, info.st_ino, info.st_nlink):
            return
        frame.allocated += info.st_blocks * 512

    def enter(self, parent: _Frame) -> _Frame | None:
        """The frame of the parent's next subdirectory on this filesystem, listed; or None."""
        name = parent.subdirs[parent.next]
        parent.next += 1
        path = parent.path + b"/" + name if parent.path != b"/" else b"/" + name
        try:
            info = os.lstat(path)
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode):
            return None  # replaced meanwhile
        if self.mounts is None and info.st_dev != self.dev:
            return None  # no mount table: another device is taken for a mount point
        frame = _Frame(path, name, parent.depth + 1, info.st_blocks * 512)
        self.list_directory(frame)
        return frame

    def close(self, frame: _Frame, parent: _Frame | None) -> Node | None:
        """Fold a finished directory into its parent; its kept node when it is kept."""
        b = self.budgets
        node = None
        if frame.depth <= b.max_depth:
            node = finish(frame.name, frame.allocated, frame.children, b.max_children, b.max_nodes)
        if parent is not None:
            parent.allocated += frame.allocated
            if node is not None:
                parent.children.append(node)
                # Bound a wide directory's candidates while it is still being walked.
                if len(parent.children) > 4 * b.max_children:
                    parent.children = largest(parent.children, b.max_children)
        return node

    def run(self, root: _Frame) -> Node:
        """Walk depth first from the listed root; when a budget stops it, keep what was seen."""
        stack = [root]
        while True:
            top = stack[-1]
            if self.stopped_by is None and top.next < len(top.subdirs) and self.check():
                child = self.enter(top)
                if child is not None:
                    stack.append(child)
                continue
            stack.pop()
            node = self.close(top, stack[-1] if stack else None)
            if not stack:
                self.progress.entries = self.entries
                assert node is not None  # the root (depth 0) is always kept
                return node


def scan(
    fs_path: str,
    mount_point: str,
    *,
    budgets: Budgets | None = None,
    progress: Progress | None = None,
    request_id: str | None = None,
    mounts: Iterable[str | bytes] | None = None,
) -> UsageScan:
    """Scan the filesystem at `fs_path` (as this process sees it), reporting it as `mount_point`.

    `mounts`: the mount points below `fs_path` (as this process sees them, from the mount
    table; `mounts_below`), where the walk stops. None: it stops where the device number changes.
    Raises ScanCancelled when `progress.cancel()` turns true; every other problem is the
    result's `error` (the root is not a readable directory) or counted in it (`unreadable`).
    """
    budgets = budgets or Budgets()
    progress = progress or Progress()
    started = datetime.now(UTC)
    began = time.monotonic()
    root_path = os.fsencode(fs_path)
    try:
        info = os.lstat(root_path)
    except OSError as exc:
        return failed(mount_point, request_id, f"cannot scan: {exc.strerror or exc}", started)
    if not stat.S_ISDIR(info.st_mode):
        return failed(mount_point, request_id, "cannot scan: not a directory", started)
    below = None if mounts is None else {os.fsencode(m).rstrip(b"/") for m in mounts}
    walk = _Walk(info.st_dev, budgets, progress, below)
    root = _Frame(root_path, b"", 0, info.st_blocks * 512)
    walk.list_directory(root)
    tree = walk.run(root)
    return UsageScan(
        mount_point=mount_point,
        request_id=request_id,
        started_at=utc_stamp(started),
        duration_seconds=round(time.monotonic() - began, 3),
        entries=walk.entries,
        unreadable=walk.unreadable,
        stopped_by=walk.stopped_by,
        links_over_budget=walk.links_over_budget,
        total_bytes=tree.allocated,
        directories=list(flatten(tree, mount_point)),
    )


def mounts_below(root: str, mount_points: Iterable[str]) -> list[str]:
    """The mount points strictly below `root` (paths as this process sees them)."""
    base = root.rstrip("/") + "/"
    return [m for m in mount_points if m.startswith(base) and m.rstrip("/") + "/" != base]


def failed(
    mount_point: str, request_id: str | None, error: str, started: datetime | None = None
) -> UsageScan:
    """The answer for a scan that could not run at all."""
    return UsageScan(
        mount_point=mount_point,
        request_id=request_id,
        started_at=utc_stamp(started or datetime.now(UTC)),
        duration_seconds=0.0,
        error=error[:2000],
    )
