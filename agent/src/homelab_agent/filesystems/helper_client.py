"""statvfs through the helper process (probe_helper.py), which the agent may abandon."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import select
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future
from typing import IO

from homelab_agent.filesystems.probe_helper import READY

log = logging.getLogger(__name__)
HELPER = [sys.executable, "-I", "-m", "homelab_agent.filesystems.probe_helper"]
# How long a starting helper may take to say it is ready (Python starts slowly on a busy box).
START_TIMEOUT = 30.0


class HelperDied(OSError):
    """The helper process is gone; the call's mount is reported unreachable."""

    def __init__(self) -> None:
        super().__init__(errno.EIO, "statvfs helper process exited")


class HelperStatvfs:
    """A `statvfs(path)` callable served by a helper process, started on first use.

    Calls block in this process only on a Future, never in the kernel on a mount. `abandon()`
    kills the helper without waiting for it; the next call starts a fresh one.
    """

    def __init__(self, command: list[str] | None = None) -> None:
        self._command = command or HELPER
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._pending: dict[int, Future[os.statvfs_result]] = {}
        self._next_id = 0

    @property
    def pid(self) -> int | None:
        """The running helper's process id."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def start(self) -> None:
        """Start the helper now, so its start-up does not count against a probe's deadline."""
        with self._lock:
            self._ensure_started()

    def __call__(self, path: str) -> os.statvfs_result:
        future: Future[os.statvfs_result] = Future()
        with self._lock:
            process = self._ensure_started()
            self._next_id += 1
            request_id = self._next_id
            self._pending[request_id] = future
            try:
                assert process.stdin is not None
                process.stdin.write(json.dumps({"id": request_id, "path": path}) + "\n")
                process.stdin.flush()
            except OSError:
                self._pending.pop(request_id, None)
                raise HelperDied() from None
        return future.result()

    def _ensure_started(self) -> subprocess.Popen[str]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._process = subprocess.Popen(
            self._command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # An abandoned helper must not hold the agent's stderr open: cron, systemd or a
            # test waiting for the agent's output would wait for the dead mount too.
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            close_fds=True,
        )
        stdout = self._process.stdout
        assert stdout is not None
        ready, _, _ = select.select([stdout], [], [], START_TIMEOUT)
        if not ready or stdout.readline().strip() != READY:
            log.warning("statvfs helper did not start within %.0f s", START_TIMEOUT)
        reader = threading.Thread(
            target=self._read, args=(stdout,), name="statvfs helper", daemon=True
        )
        reader.start()
        return self._process

    def _read(self, stdout: IO[str] | None) -> None:
        assert stdout is not None
        for line in stdout:
            try:
                answer = json.loads(line)
                future = self._pending.pop(int(answer["id"]))
            except (ValueError, KeyError, TypeError):
                continue
            if "statvfs" in answer:
                future.set_result(os.statvfs_result(tuple(answer["statvfs"])))
            else:
                future.set_exception(OSError(int(answer["errno"]), str(answer["message"])))
        # EOF: the helper exited or was abandoned; nobody will answer the calls still waiting.
        with self._lock:
            waiting, self._pending = self._pending, {}
        for future in waiting.values():
            if not future.done():
                future.set_exception(HelperDied())

    def abandon(self) -> None:
        """Kill the helper (it may be stuck on a dead mount) and do not wait for it."""
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGKILL)
        # A helper blocked uninterruptibly on a dead mount dies only when the call returns;
        # reap it in the background rather than wait here.
        threading.Thread(target=process.wait, name="reap statvfs helper", daemon=True).start()
