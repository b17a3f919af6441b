"""Slow collectors on their own thread and schedule, off the heartbeat path.

The heartbeat asks for the newest result and gets it at once (or nothing when no pass ended
since the last heartbeat): a pass that takes minutes never delays a heartbeat.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class Periodic(Generic[T]):
    """Runs `work` now and then every `interval` seconds (by deadline) on a daemon thread."""

    def __init__(self, name: str, work: Callable[[], T], interval: float) -> None:
        self.name = name
        self.work = work
        self.interval = interval
        self._lock = threading.Lock()
        self._fresh: T | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread (once)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Ask the thread to end after its current pass."""
        self._stop.set()

    def _loop(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            try:
                result = self.work()
            except Exception:  # the schedule must survive anything a pass throws
                log.exception("%s pass failed", self.name)
            else:
                with self._lock:
                    self._fresh = result
            next_at += self.interval
            now = time.monotonic()
            if next_at <= now:
                next_at = now + self.interval
            self._stop.wait(next_at - now)

    def take(self) -> T | None:
        """The result of the newest pass not handed out yet, or None; never waits."""
        self.start()
        with self._lock:
            fresh, self._fresh = self._fresh, None
        return fresh
