"""statvfs with a deadline: a hung NFS or CIFS mount must never stall the agent.

Each call runs in its own daemon thread (a stuck thread can neither block the pool nor keep the
process from exiting). A mount whose call has not returned by the deadline is reported
unreachable and is not asked again until that call comes back, unless a different mount (another
identity: mount id, device number or source from the mount table) now sits on the same path.
"""

from __future__ import annotations

import errno
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from typing import Protocol

from homelab_agent.filesystems.stuck_mounts import StuckMemory

log = logging.getLogger(__name__)

# errnos that mean "the mount is there but its server is gone", not "the mount vanished".
_UNREACHABLE_ERRNOS = frozenset(
    {errno.ESTALE, errno.EIO, errno.EHOSTDOWN, errno.EHOSTUNREACH, errno.ETIMEDOUT,
     errno.ENOTCONN, errno.ECONNREFUSED}
)  # fmt: skip


class StatvfsResult(Protocol):
    """The fields of `os.statvfs_result` this module reads."""

    @property
    def f_frsize(self) -> int: ...
    @property
    def f_blocks(self) -> int: ...
    @property
    def f_bfree(self) -> int: ...
    @property
    def f_bavail(self) -> int: ...
    @property
    def f_files(self) -> int: ...
    @property
    def f_ffree(self) -> int: ...


StatvfsFunc = Callable[[str], StatvfsResult]


@dataclass(frozen=True, slots=True)
class Usage:
    """Sizes of one filesystem as df computes them."""

    total_bytes: int
    used_bytes: int
    available_bytes: int
    percent: float
    inodes_total: int | None
    inodes_used: int | None


@dataclass(frozen=True, slots=True)
class Probe:
    """Outcome for one mount point: usage, unreachable, or skipped (usage None, not stuck)."""

    mount_point: str
    usage: Usage | None
    unreachable: bool = False
    skip_reason: str | None = None


def usage_from_statvfs(st: StatvfsResult) -> Usage:
    """df's arithmetic: reserved blocks make used + available < total."""
    frsize = st.f_frsize
    total = st.f_blocks * frsize
    used = max(st.f_blocks - st.f_bfree, 0) * frsize
    available = max(st.f_bavail, 0) * frsize
    percent = used / (used + available) * 100 if used + available > 0 else 0.0
    inodes_total = st.f_files if st.f_files > 0 else None
    inodes_used = max(st.f_files - st.f_ffree, 0) if inodes_total is not None else None
    return Usage(total, used, available, round(min(percent, 100.0), 2), inodes_total, inodes_used)


def _run(func: StatvfsFunc, path: str, future: Future[StatvfsResult]) -> None:
    try:
        future.set_result(func(path))
    except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
        future.set_exception(exc)


class StatvfsProber:
    """Asks statvfs for many mounts at once and gives up on each at the deadline."""

    def __init__(
        self,
        statvfs: StatvfsFunc = os.statvfs,
        timeout: float = 5.0,
        memory: StuckMemory | None = None,
    ) -> None:
        self._statvfs = statvfs
        self._timeout = timeout
        self._memory = memory
        # mount point -> (identity of the mount that hung, its unfinished call)
        self._stuck: dict[str, tuple[str | None, Future[StatvfsResult]]] = {}
        self._refused: set[str] = set()
        self._lock = threading.Lock()

    @property
    def stuck_mounts(self) -> list[str]:
        """Mount points whose last call has not returned yet."""
        with self._lock:
            return [m for m, (_, f) in self._stuck.items() if not f.done()]

    def _start(self, path: str) -> Future[StatvfsResult]:
        future: Future[StatvfsResult] = Future()
        future.set_running_or_notify_cancel()
        thread = threading.Thread(
            target=_run, args=(self._statvfs, path, future), name=f"statvfs {path}", daemon=True
        )
        thread.start()
        return future

    def probe(
        self, mount_points: Sequence[str], identities: Mapping[str, str] | None = None
    ) -> list[Probe]:
        """statvfs every mount point; the whole call returns within the deadline.

        `identities` tells mounts on the same path apart (e.g. mount id, device number and
        source): a mount point whose stuck call was made on another mount is asked again.
        """
        start = getattr(self._statvfs, "start", None)
        if start is not None:  # a helper process: its start-up is not the mounts' fault
            start()
        deadline = time.monotonic() + self._timeout
        futures: dict[str, Future[StatvfsResult]] = {}
        results: dict[str, Probe] = {}
        known = identities or {}
        for path in dict.fromkeys(mount_points):
            identity = known.get(path)
            if self._memory is not None and self._memory.still_stuck(path, identity):
                results[path] = Probe(path, None, unreachable=True)
                continue
            with self._lock:
                entry = self._stuck.get(path)
                if entry is not None:
                    stuck_identity, stuck = entry
                    same_mount = identity is None or stuck_identity in (None, identity)
                    if not stuck.done() and same_mount:
                        results[path] = Probe(path, None, unreachable=True)
                        continue
                    del self._stuck[path]
                    if stuck.done():
                        log.warning("filesystem %s answers again", path)
                    else:
                        log.warning(
                            "filesystem %s is a new mount (%s; the call on %s is still stuck): "
                            "asking it",
                            path,
                            identity,
                            stuck_identity,
                        )
            futures[path] = self._start(path)
        if futures:
            wait_futures(futures.values(), timeout=max(deadline - time.monotonic(), 0))
        for path, future in futures.items():
            results[path] = self._outcome(path, future, known.get(path))
        return [results[p] for p in dict.fromkeys(mount_points)]

    def _outcome(
        self, path: str, future: Future[StatvfsResult], identity: str | None = None
    ) -> Probe:
        if not future.done():
            with self._lock:
                self._stuck[path] = (identity, future)
            if self._memory is not None:
                self._memory.remember(path, identity)
            log.warning(
                "filesystem %s did not answer statvfs within %.1f s: reported unreachable and "
                "not asked again until it answers",
                path,
                self._timeout,
            )
            return Probe(path, None, unreachable=True)
        if self._memory is not None:
            self._memory.forget(path)
        exc = future.exception()
        if exc is None:
            self._refused.discard(path)
            return Probe(path, usage_from_statvfs(future.result()))
        if isinstance(exc, PermissionError):
            if path not in self._refused:
                self._refused.add(path)
                log.warning("filesystem %s refuses statvfs (%s): skipped", path, exc)
            return Probe(path, None, skip_reason="permission denied")
        if isinstance(exc, OSError) and exc.errno in _UNREACHABLE_ERRNOS:
            log.warning("filesystem %s is unreachable: %s", path, exc)
            return Probe(path, None, unreachable=True)
        log.warning("statvfs %s failed: %s: skipped", path, exc)
        return Probe(path, None, skip_reason=str(exc) or type(exc).__name__)
