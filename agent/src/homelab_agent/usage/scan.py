"""The walk: one filesystem, single-threaded, allocated bytes per directory, within budgets.

`os.scandir` with `lstat` information (symlinks are never followed); a directory on another
device is a mount point and is neither entered nor counted. Sizes are allocated bytes
(`st_blocks * 512`), so a sparse file counts what it occupies, and a file with several hard
links counts once. Only the bounded tree (`tree.py`) and the directories on the current path
are held: a scan of millions of entries costs a few megabytes.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from homelab_agent.usage.model import StoppedBy, UsageScan, utc_stamp
from homelab_agent.usage.tree import Node, finish, flatten, largest

# Hard-linked files whose other links have not been seen yet: past this many, a further
# hard-linked file is counted each time it is met (a small overcount instead of unbounded memory).
MAX_PENDING_LINKS = 100_000
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

    def __init__(self, dev: int, budgets: Budgets, progress: Progress) -> None:
        self.dev = dev
        self.budgets = budgets
        self.progress = progress
        self.entries = 0
        self.unreadable = 0
        self.stopped_by: StoppedBy | None = None
        self.links: dict[int, int] = {}
        self.deadline = time.monotonic() + budgets.time_seconds

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

    def first_link(self, ino: int, nlink: int) -> bool:
        """Whether this is the first link of a hard-linked file met in this scan."""
        left = self.links.get(ino)
        if left is None:
            if len(self.links) < MAX_PENDING_LINKS:
                self.links[ino] = nlink - 1
            return True
        if left <= 1:
            del self.links[ino]  # every link seen: forget it
        else:
            self.links[ino] = left - 1
        return False

    def list_directory(self, frame: _Frame) -> None:
        """Add the directory's files to its bytes and remember its subdirectories."""
        try:
            with os.scandir(frame.path) as listing:
                for entry in listing:
                    if self.entries >= self.budgets.entries:
                        self.stopped_by = "entries"
                        return
                    self.entries += 1
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
        if info.st_dev != self.dev:  # a file bind-mounted here belongs to another filesystem
            return
        if info.st_nlink > 1 and not self.first_link(info.st_ino, info.st_nlink):
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
        if not stat.S_ISDIR(info.st_mode) or info.st_dev != self.dev:
            return None  # replaced meanwhile, or a mount point: another filesystem's bytes
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
) -> UsageScan:
    """Scan the filesystem at `fs_path` (as this process sees it), reporting it as `mount_point`.

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
    walk = _Walk(info.st_dev, budgets, progress)
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
        total_bytes=tree.allocated,
        directories=list(flatten(tree, mount_point)),
    )


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
