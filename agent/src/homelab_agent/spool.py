"""A bounded on-disk spool: every heartbeat is written here first and replayed oldest first.

One file per heartbeat, written to a temporary name and renamed, so a crash never leaves half a
payload. The hub stores a heartbeat once per (server_id, timestamp), so a replay after a lost
response is harmless.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from homelab_agent.transport import Outcome, SendResult

log = logging.getLogger(__name__)

SUFFIX = ".json"


@dataclass(frozen=True)
class FlushReport:
    """What one replay pass did."""

    delivered: int = 0
    dropped: int = 0
    remaining: int = 0
    last_outcome: Outcome | None = None


class Spool:
    """Heartbeat bodies waiting for the hub, bounded by count and bytes."""

    def __init__(self, directory: Path, max_files: int = 20_000, max_bytes: int = 200 << 20):
        self.directory = directory
        self.max_files = max_files
        self.max_bytes = max_bytes
        directory.mkdir(parents=True, exist_ok=True)
        existing = self.pending()
        self._last = int(existing[-1].stem) if existing else 0

    def pending(self) -> list[Path]:
        """Spooled heartbeats, oldest first."""
        names = [
            p
            for p in self.directory.iterdir()
            if p.name.endswith(SUFFIX) and p.stem.isdigit() and p.is_file()
        ]
        return sorted(names, key=lambda p: int(p.stem))

    def put(self, body: bytes) -> Path:
        """Store one heartbeat durably, making room by dropping the oldest when full."""
        # Names grow strictly even if the clock steps back, so replay order is collection order.
        self._last = max(time.time_ns(), self._last + 1)
        path = self.directory / f"{self._last:020d}{SUFFIX}"
        tmp = self.directory / f".{self._last:020d}.tmp"
        with tmp.open("wb") as handle:
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
                sizes[p] = p.stat().st_size
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
            if deadline is not None and time.monotonic() >= deadline:
                return FlushReport(delivered, dropped, len(files) - index, last)
            try:
                body = path.read_bytes()
            except FileNotFoundError:
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
                    "agent config is fixed",
                    result.detail,
                    self.directory,
                )
                return FlushReport(delivered, dropped, len(files) - index, last)
            else:
                log.info(
                    "hub unavailable (%s): %d heartbeats spooled", result.detail, len(files) - index
                )
                return FlushReport(delivered, dropped, len(files) - index, last)
        return FlushReport(delivered, dropped, 0, last)
