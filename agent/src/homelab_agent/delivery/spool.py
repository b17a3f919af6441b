"""A bounded on-disk spool: every heartbeat is written here first and replayed oldest first.

One file per heartbeat, written to a temporary name and renamed, so a crash never leaves half a
payload. The hub stores a heartbeat once per (server_id, timestamp), so a replay after a lost
response is harmless.

The agent may run with privileges, so the folder is its own: created 0700, and refused when it is
a symlink or belongs to another user. Inside it, symlinks and files of other users are never
read (O_NOFOLLOW, owner checked on the open file): they are skipped with a warning.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from homelab_agent.delivery.transport import Outcome, SendResult

log = logging.getLogger(__name__)

SUFFIX = ".json"
_OPEN_READ = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_OPEN_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


class SpoolError(RuntimeError):
    """The spool folder is unsafe to use; the message says why."""


@dataclass(frozen=True)
class FlushReport:
    """What one replay pass did."""

    delivered: int = 0
    dropped: int = 0
    remaining: int = 0
    last_outcome: Outcome | None = None
    retry_after: float | None = None


def secure_directory(directory: Path) -> None:
    """Create `directory` 0700, or check an existing one is a real folder of this user."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        directory.mkdir(mode=0o700)
    info = directory.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise SpoolError(f"spool {directory} is not a plain folder (a symlink?): refusing it")
    if info.st_uid != os.geteuid():
        raise SpoolError(
            f"spool {directory} belongs to uid {info.st_uid}, not this agent's ({os.geteuid()})"
        )
    if stat.S_IMODE(info.st_mode) & 0o077:
        log.warning("spool %s was readable by others: set to 0700", directory)
        directory.chmod(0o700)


class Spool:
    """Heartbeat bodies waiting for the hub, bounded by count and bytes."""

    def __init__(self, directory: Path, max_files: int = 20_000, max_bytes: int = 200 << 20):
        self.directory = directory
        self.max_files = max_files
        self.max_bytes = max_bytes
        self._refused: set[str] = set()
        secure_directory(directory)
        existing = self.pending()
        self._last = int(existing[-1].stem) if existing else 0

    def _refuse(self, path: Path, why: str) -> None:
        if path.name not in self._refused:
            self._refused.add(path.name)
            log.warning("spool entry %s is %s: not read, left alone", path, why)

    def pending(self) -> list[Path]:
        """Spooled heartbeats of this agent, oldest first; anything else is skipped."""
        names = []
        uid = os.geteuid()
        for p in self.directory.iterdir():
            if not (p.name.endswith(SUFFIX) and p.stem.isdigit()):
                continue
            try:
                info = p.lstat()
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(info.st_mode):
                self._refuse(p, "a symlink")
            elif not stat.S_ISREG(info.st_mode):
                self._refuse(p, "not a regular file")
            elif info.st_uid != uid:
                self._refuse(p, f"owned by uid {info.st_uid}")
            else:
                names.append(p)
        return sorted(names, key=lambda p: int(p.stem))

    def read(self, path: Path) -> bytes | None:
        """One spooled body, never through a symlink nor from another user's file."""
        try:
            fd = os.open(path, _OPEN_READ)
        except FileNotFoundError:
            return None
        except OSError as exc:  # ELOOP: a symlink planted since pending() looked
            self._refuse(path, f"unreadable safely ({exc.strerror})")
            return None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                self._refuse(path, "not a regular file of this agent")
                return None
            return handle.read()

    def put(self, body: bytes) -> Path:
        """Store one heartbeat durably, making room by dropping the oldest when full."""
        # Names grow strictly even if the clock steps back, so replay order is collection order.
        self._last = max(time.time_ns(), self._last + 1)
        path = self.directory / f"{self._last:020d}{SUFFIX}"
        tmp = self.directory / f".{self._last:020d}.tmp"
        fd = os.open(tmp, _OPEN_NEW, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        self._enforce_bounds(keep=path)
        return path

    def _enforce_bounds(self, keep: Path) -> None:
        sizes: dict[Path, int] = {}
        for p in self.pending():
            try:
                sizes[p] = p.lstat().st_size
            except FileNotFoundError:  # delivered (and deleted) by the delivery thread meanwhile
                continue
        files = list(sizes)
        total = sum(sizes.values())
        dropped = 0
        while files and (len(files) > self.max_files or total > self.max_bytes):
            oldest = files.pop(0)
            if oldest == keep:
                break
            total -= sizes[oldest]
            oldest.unlink(missing_ok=True)
            dropped += 1
        if dropped:
            log.warning(
                "spool %s is full (%d files / %d bytes max): dropped the %d oldest heartbeats",
                self.directory,
                self.max_files,
                self.max_bytes,
                dropped,
            )

    def flush(
        self, send: Callable[[bytes], SendResult], deadline: float | None = None
    ) -> FlushReport:
        """Replay oldest first until the spool is empty, the hub fails, or `deadline` passes."""
        delivered = dropped = 0
        last: Outcome | None = None
        files = self.pending()
        for index, path in enumerate(files):
            left = len(files) - index
            if deadline is not None and time.monotonic() >= deadline:
                return FlushReport(delivered, dropped, left, last)
            body = self.read(path)
            if body is None:
                continue
            result = send(body)
            last = result.outcome
            if result.outcome is Outcome.DELIVERED:
                path.unlink(missing_ok=True)
                delivered += 1
            elif result.outcome is Outcome.REJECTED:
                log.error(
                    "hub rejected spooled heartbeat %s, dropped: %s", path.name, result.detail
                )
                path.unlink(missing_ok=True)
                dropped += 1
            elif result.outcome is Outcome.UNAUTHORIZED:
                log.error(
                    "HUB REFUSED THE API KEY (%s): heartbeats are kept in %s until the key in the "
                    "agent config is fixed (a revoked or deleted server: enroll again with a new "
                    "code, 'homelab-agent enroll HUB_URL CODE')",
                    result.detail,
                    self.directory,
                )
                return FlushReport(delivered, dropped, left, last)
            else:
                log.info("hub unavailable (%s): %d heartbeats spooled", result.detail, left)
                return FlushReport(delivered, dropped, left, last, result.retry_after)
        return FlushReport(delivered, dropped, 0, last)
