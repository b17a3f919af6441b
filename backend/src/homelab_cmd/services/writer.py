"""Group commit: one writer thread stores queued heartbeats in shared transactions.

SQLite allows one writer at a time, and a commit per request caps ingest far below the fleet's
needs. Requests queue their heartbeat and wait; the writer drains whatever is queued, stores the
batch in one transaction, commits once and only then answers every waiting request. When a batch
fails, each of its heartbeats is retried in a transaction of its own, so one bad heartbeat never
sinks the others. A 2xx therefore still means "committed".
"""

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from homelab_cmd.api.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.errors import ServiceUnavailable
from homelab_cmd.services.ingest import (
    HeartbeatStore,
    StoredHeartbeat,
    check_clock,
    heartbeat_instant,
)

log = logging.getLogger(__name__)
MAX_BATCH = 256


@dataclass
class _Job:
    heartbeat: HeartbeatRequest
    received_at: datetime
    result: Future[StoredHeartbeat] = field(default_factory=Future)


class HeartbeatWriter:
    """Owns the write path for heartbeats; start it once per process."""

    def __init__(
        self,
        engine: Engine,
        max_clock_skew_seconds: int,
        on_commit: Callable[[], None] = lambda: None,
        store: HeartbeatStore | None = None,
    ) -> None:
        self._engine = engine
        self._on_commit = on_commit
        self._max_clock_skew_seconds = max_clock_skew_seconds
        self._store = store or HeartbeatStore()
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the writer thread."""
        self._thread = threading.Thread(target=self._run, name="heartbeat-writer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finish what is queued, then stop."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=30)
            self._thread = None

    def queue_depth(self) -> int:
        """Heartbeats waiting for the writer thread (approximate while it drains)."""
        return self._queue.qsize()

    def forget_server(self, server_id: str) -> None:
        """Tell the writer a server was deleted, so it re-creates rows on its next heartbeat."""
        self._store.forget_server(server_id)

    async def submit(self, heartbeat: HeartbeatRequest) -> StoredHeartbeat:
        """Queue a heartbeat and wait until it is committed; refuse one from a clock far ahead."""
        job = _Job(heartbeat, datetime.now(UTC))
        check_clock(heartbeat, job.received_at, self._max_clock_skew_seconds)
        self._queue.put(job)
        return await asyncio.wrap_future(job.result)

    def _run(self) -> None:
        while True:
            jobs, stop = self._next_batch()
            # A request cancelled while queued (its client or server gave up) is not stored;
            # the rest can no longer be cancelled, so answering them cannot fail.
            live = [job for job in jobs if job.result.set_running_or_notify_cancel()]
            try:
                if live:
                    self._write(live)
            except Exception:
                log.exception("heartbeat writer failed a batch; it carries on")
                for job in live:
                    if not job.result.done():
                        job.result.set_exception(ServiceUnavailable("heartbeat not stored; retry"))
            if stop:
                return

    def _next_batch(self) -> tuple[list[_Job], bool]:
        """Wait for one job, then take whatever else is queued; True once told to stop."""
        jobs: list[_Job] = []
        first = self._queue.get()
        if first is None:
            return jobs, True
        jobs.append(first)
        while len(jobs) < MAX_BATCH:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is None:
                return jobs, True
            jobs.append(job)
        return jobs, False

    def _write(self, jobs: list[_Job]) -> None:
        try:
            results = self._commit(jobs)
        except Exception as exc:  # noqa: BLE001  (the writer thread must survive any failure)
            # Cached ids may be stale (a server deleted meanwhile): retry each heartbeat alone,
            # so one that cannot be stored does not take the others down with it.
            log.warning("batch of %d heartbeats failed (%s); storing one by one", len(jobs), exc)
            self._store.forget_all()
            results = [self._commit_one(job) for job in jobs]
        self._on_commit()
        for job, outcome in zip(jobs, results, strict=True):
            if isinstance(outcome, BaseException):
                job.result.set_exception(outcome)
            else:
                job.result.set_result(outcome)

    def _commit(self, jobs: list[_Job]) -> list[StoredHeartbeat | BaseException]:
        with self._engine.begin() as conn:
            results = [self._store.store(conn, job.heartbeat, job.received_at) for job in jobs]
            fresh = {
                heartbeat_instant(job.heartbeat)
                for job, stored in zip(jobs, results, strict=True)
                if not stored.duplicate
            }
            if fresh:
                self._store.queue_rollups(conn, fresh)
        return list(results)

    def _commit_one(self, job: _Job) -> StoredHeartbeat | BaseException:
        try:
            return self._commit([job])[0]
        except Exception as exc:  # noqa: BLE001
            log.error("heartbeat from %s not stored: %s", job.heartbeat.server_id, exc)
            self._store.forget_all()
            return ServiceUnavailable("the database could not store the heartbeat; retry later")
