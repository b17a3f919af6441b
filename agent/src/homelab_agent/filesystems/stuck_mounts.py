"""Mounts whose statvfs is stuck, remembered in the spool folder across agent runs.

Each entry names the helper process that holds the stuck call. While that process lives, a new
run (`--once` from cron, a restart) reports the mount unreachable without asking again, so runs
never stack new probes on the same dead mount. Once the process is gone (the mount answered, or
the process could be killed), the mount is asked again.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
FILE_NAME = "stuck-mounts.json"
# The helper's module in its command line; a helper started by an agent from before the
# filesystems package (still stuck on a mount after an upgrade) runs the old module path.
HELPER_MARKS = (b"homelab_agent.filesystems.probe_helper", b"homelab_agent.probe_helper")


def helper_alive(pid: int) -> bool:
    """True while `pid` is a live statvfs helper (not a recycled pid of something else)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = status.rsplit(")", 1)[-1].split()[:1]
    return any(mark in cmdline for mark in HELPER_MARKS) and state != ["Z"]


class StuckMemory:
    """The stuck-mounts file of one spool folder."""

    def __init__(
        self,
        directory: Path,
        helper_pid: Callable[[], int | None],
        alive: Callable[[int], bool] = helper_alive,
    ) -> None:
        self.path = directory / FILE_NAME
        self._helper_pid = helper_pid
        self._alive = alive
        self._lock = threading.Lock()
        self._entries: dict[str, dict[str, object]] = self._load()

    def _load(self) -> dict[str, dict[str, object]]:
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.warning("%s unreadable safely (%s): ignored", self.path, exc.strerror)
            return {}
        with os.fdopen(fd, "rb") as handle:
            if os.fstat(handle.fileno()).st_uid != os.geteuid():
                log.warning("%s belongs to another user: ignored", self.path)
                return {}
            try:
                data = json.loads(handle.read(1 << 20))
            except ValueError:
                return {}
        return (
            {str(k): v for k, v in data.items() if isinstance(v, dict)}
            if isinstance(data, dict)
            else {}
        )

    def _save(self) -> None:
        tmp = self.path.with_name(f".{FILE_NAME}.tmp")
        try:
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600
            )
            with os.fdopen(fd, "w") as handle:
                json.dump(self._entries, handle)
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("could not record stuck mounts in %s: %s", self.path, exc)

    def still_stuck(self, path: str, identity: str | None) -> bool:
        """True when an earlier run's call on this very mount is still held by a live helper."""
        with self._lock:
            entry = self._entries.get(path)
            if entry is None:
                return False
            pid = entry.get("pid")
            same = identity is None or entry.get("identity") in (None, identity)
            if isinstance(pid, int) and same and self._alive(pid):
                return True
            del self._entries[path]
            self._save()
            return False

    def remember(self, path: str, identity: str | None) -> None:
        pid = self._helper_pid()
        if pid is None:
            return
        with self._lock:
            self._entries[path] = {"identity": identity, "pid": pid, "since": int(time.time())}
            self._save()

    def forget(self, path: str) -> None:
        with self._lock:
            if self._entries.pop(path, None) is not None:
                self._save()
