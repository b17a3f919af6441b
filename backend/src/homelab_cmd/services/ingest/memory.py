"""Freed memory handed back to the system after a burst of large heartbeats (glibc only).

glibc keeps what a thread freed in that thread's arena for the next allocation, so a burst of
1 MiB heartbeats leaves the hub hundreds of MiB larger for good although Python and SQLite have
freed it. `malloc_trim` returns the free pages; it costs a few milliseconds on a large heap, so
it runs once the writer has been idle for a moment after enough heartbeat data, never per batch.
Elsewhere (musl, macOS) there is no such call and nothing is done.
"""

import ctypes
import logging
import time
from collections.abc import Callable

log = logging.getLogger(__name__)
# Filesystem entries stored since the last trim before another is worth its cost: ~2 MB of
# heartbeat data (a steady fleet of 10-filesystem hosts reaches it every 2,000 heartbeats).
TRIM_AFTER_FILESYSTEMS = 20_000


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


class Trimmer:
    """Counts the heartbeat data the writer stored; trims when enough has been freed."""

    def __init__(
        self,
        after_filesystems: int = TRIM_AFTER_FILESYSTEMS,
        trim: Callable[[int], int] | None = None,
    ) -> None:
        self._after = after_filesystems
        self._trim = trim if trim is not None else _malloc_trim()
        self._since = 0

    def stored(self, filesystems: int) -> None:
        """Note a batch's filesystem entries, now freed or about to be."""
        self._since += filesystems

    @property
    def due(self) -> bool:
        """Whether a trim is worth it (the writer calls `trim` once idle)."""
        return self._trim is not None and self._since >= self._after

    def trim(self) -> None:
        if self._trim is None:
            return
        started = time.perf_counter()
        released = self._trim(0)
        self._since = 0
        log.debug(
            "malloc_trim after a burst: %s in %.1f ms",
            "memory released" if released else "nothing to release",
            (time.perf_counter() - started) * 1000,
        )
