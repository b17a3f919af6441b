"""Group commit: one writer thread stores queued heartbeats in shared transactions.

SQLite allows one writer at a time, and a commit per request caps ingest far below the fleet's
needs. Requests queue their heartbeat and wait; the writer drains whatever is queued, stores the
batch in one transaction, commits once and only then answers every waiting request. When a batch
fails, each of its heartbeats is retried in a transaction of its own, so one bad heartbeat never
sinks the others. A 2xx therefore still means "committed".

The queue is bounded and so is the wait: a heartbeat that finds the queue full, or is not
committed within the deadline, gets 503 with Retry-After. A late one may still commit; its
agent's retry is then stored once, as every replay of (server_id, timestamp) is.
"""

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, update

from homelab_cmd.db.engine import (
    close_writer_connection,
    shrink_writer_connection,
    writer_connection,
)
from homelab_cmd.db.tables import SERVER
from homelab_cmd.errors import HomelabError, ReplayTooClose, ServiceUnavailable
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest.deadlines import Deadlines
from homelab_cmd.services.ingest.limits import Limits, check_heartbeat
from homelab_cmd.services.ingest.memory import Trimmer
from homelab_cmd.services.ingest.store import (
    HeartbeatStore,
    StoredHeartbeat,
    check_clock,
    heartbeat_instant,
)
from homelab_cmd.services.ingest.writer_calls import R, WriterCall

log = logging.getLogger(__name__)
MAX_BATCH = 256
# After a burst of heartbeat data, the writer idle this long hands freed memory back (memory.py).
IDLE_BEFORE_TRIM_SECONDS = 1.0
WARNING_CHARS = 500


Outcome = StoredHeartbeat | BaseException


@dataclass(eq=False)
class _Job:
    heartbeat: HeartbeatRequest
    received_at: datetime
    token_id: int | None = None
    # Resolved on the request's own loop, a batch's answers in one call from the writer: a
    # concurrent future per heartbeat cost a lock, a condition and a loop wake-up each.
    waiter: asyncio.Future[StoredHeartbeat] | None = None
    # Given up by its request (its deadline passed or its client left): read when the writer
    # takes the batch, so one given up while still queued is never stored.
    abandoned: bool = False
    answered: bool = False


# Queued to wake the writer for budget notes when no heartbeat is coming.
_WAKE = object()
# A committed heartbeat as the writer's `on_stored` hook hears of it: with when it was received.
Stored = tuple[HeartbeatRequest, datetime]


class HeartbeatWriter:
    """Owns the write path for heartbeats; start it once per process."""

    def __init__(
        self,
        engine: Engine,
        max_clock_skew_seconds: int,
        on_commit: Callable[[], None] = lambda: None,
        store: HeartbeatStore | None = None,
        *,
        queue_size: int = 2048,
        deadline_seconds: float = 8.0,
        retry_after_seconds: int = 5,
        on_stored: Callable[[list[Stored]], None] = lambda _: None,
        on_forget: Callable[[str], None] = lambda _: None,
        on_written: Callable[[set[str]], None] = lambda _: None,
    ) -> None:
        self._engine = engine
        self._on_commit = on_commit
        # Told each committed batch's heartbeats, replays included, in order (alert evaluation
        # decides there which can change an alert); must not block. `on_forget`: a server was
        # deleted.
        self._on_stored = on_stored
        self._on_forget = on_forget
        # Told the servers each committed batch wrote (the /metrics blocks); must not block.
        self._on_written = on_written
        self._max_clock_skew_seconds = max_clock_skew_seconds
        self._store = store or HeartbeatStore()
        self._queue: queue.Queue[_Job | WriterCall[Any] | object | None] = queue.Queue(
            maxsize=queue_size
        )
        self._deadline_seconds = deadline_seconds
        # The latest event loop's request deadlines (deadlines.py).
        self._deadlines: Deadlines[_Job] | None = None
        self._retry_after_seconds = retry_after_seconds
        self._thread: threading.Thread | None = None
        # The writer thread's own connection, kept between batches: one page cache fills
        # (db/engine.py), not each pooled connection in turn.
        self._conn: Connection | None = None
        self._trimmer = Trimmer()

    @property
    def limits(self) -> Limits:
        """The caps this writer enforces."""
        return self._store.limits

    def start(self) -> None:
        """Start the writer thread."""
        self._thread = threading.Thread(target=self._run, name="heartbeat-writer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finish what is queued, then stop."""
        if self._thread is not None:
            self._queue.put(None, timeout=30)
            self._thread.join(timeout=30)
            self._thread = None

    def call(self, fn: Callable[[Connection], R]) -> R:
        """Run `fn` on the writer's connection, in its thread, after the heartbeats queued
        before it (writer_calls.py); its result, or its exception raised here. Without a
        running writer, here on a connection of its own. `fn` manages its own transaction."""
        call = WriterCall(fn)
        thread = self._thread
        # From the writer's own thread (a hook) it would wait for itself.
        if thread is None or not thread.is_alive() or thread is threading.current_thread():
            return call.here(self._engine)
        self._queue.put(call)
        return call.result(thread.is_alive, self._engine)

    def queue_depth(self) -> int:
        """Heartbeats waiting for the writer thread (approximate while it drains)."""
        return self._queue.qsize()

    def forget_server(self, server_id: str) -> None:
        """Tell the writer a server was deleted, so it re-creates rows on its next heartbeat."""
        self._store.forget_server(server_id)
        self._on_forget(server_id)

    async def submit(
        self, heartbeat: HeartbeatRequest, token_id: int | None = None
    ) -> StoredHeartbeat:
        """Queue a heartbeat and wait until it is committed, at most until the deadline.

        Refused before queueing: a clock far ahead, a heartbeat over a cap or a per-host budget
        (noted on the server's row, at most once a minute), a full queue. `token_id` is the
        agent token it came with, checked again in the writer's transaction.
        """
        job = _Job(heartbeat, datetime.now(UTC), token_id)
        check_clock(heartbeat, job.received_at, self._max_clock_skew_seconds)
        at = heartbeat_instant(heartbeat)
        try:
            check_heartbeat(heartbeat, self._store.limits)
            self._store.budgets.check(heartbeat, at, job.received_at)
        except HomelabError as exc:
            self._note(heartbeat.server_id, exc.detail, job.received_at)
            raise
        try:
            return await self._queue_and_wait(job)
        except ServiceUnavailable:
            # Not stored (or not known to be): its retry spends the rate token, not this try.
            self._store.budgets.give_back(heartbeat, at, job.received_at)
            raise

    async def _queue_and_wait(self, job: _Job) -> StoredHeartbeat:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[StoredHeartbeat] = loop.create_future()
        job.waiter = waiter
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            raise self._busy("the hub's write queue is full") from None
        deadlines = self._deadlines
        if deadlines is None or deadlines.loop is not loop:
            # A loop's earlier Deadlines keeps its timer until its last request is settled.
            deadlines = self._deadlines = Deadlines(loop, self._deadline_seconds, self._expire)
        deadlines.watch(job)
        try:
            return await waiter
        finally:
            if waiter.cancelled():  # its client went away
                job.abandoned = True

    def _expire(self, job: _Job) -> None:
        """Answer 503 to a request whose heartbeat was not committed by the deadline. Still
        queued, it is skipped; already being written, it may commit, and the agent's retry is
        then a harmless duplicate."""
        job.abandoned = True
        if job.waiter is not None:
            job.waiter.set_exception(
                self._busy(f"the heartbeat was not committed within {self._deadline_seconds:g} s")
            )

    def _note(self, server_id: str, warning: str, at: datetime) -> None:
        if self._store.warnings.note(server_id, warning, at):
            with contextlib.suppress(queue.Full):  # the next batch writes it anyway
                self._queue.put_nowait(_WAKE)

    def _write_warnings(self) -> None:
        """Write the budget notes taken since the last batch, to servers that exist."""
        notes = self._store.warnings.take()
        if not notes:
            return
        rows = [
            {"sid": server_id, "warning": warning[:WARNING_CHARS], "at": at}
            for server_id, (warning, at) in notes.items()
        ]
        try:
            with self._transaction() as conn:
                conn.execute(
                    update(SERVER)
                    .where(SERVER.c.id == bindparam("sid"))
                    .values(budget_warning=bindparam("warning"), budget_warning_at=bindparam("at")),
                    rows,
                )
        except Exception:  # a note is worth less than the writer thread
            log.warning("budget warnings of %d servers not recorded", len(rows), exc_info=True)

    def _busy(self, why: str) -> ServiceUnavailable:
        return ServiceUnavailable(
            f"{why}; retry in {self._retry_after_seconds} s", self._retry_after_seconds
        )

    def _run(self) -> None:
        while True:
            jobs, calls, stop = self._next_batch()
            # A request given up while queued (its client or deadline gone) is not stored.
            live = self._claim(jobs)
            try:
                if live:
                    self._write(live)
                    self._trimmer.stored(sum(len(j.heartbeat.filesystems or ()) for j in live))
                self._write_warnings()
            except Exception:
                log.exception("heartbeat writer failed a batch; it carries on")
                failed = self._busy("the heartbeat was not stored")
                _answer([(job, failed) for job in live if not job.answered])
            for call in calls:
                self._run_call(call)
            if stop:
                self._drop_connection()
                return

    def _run_call(self, call: WriterCall[Any]) -> None:
        try:
            conn = self._connection()
        except Exception as exc:  # noqa: BLE001  (the caller gets it; the writer carries on)
            call.fail(exc)
            return
        # A failure rolls its transaction back, or leaves the connection invalid or mid-way:
        # the next batch's `_connection` takes a new one then.
        call.run(conn)

    def _claim(self, jobs: list[_Job]) -> list[_Job]:
        return [job for job in jobs if not job.abandoned]

    def _release_memory(self) -> None:
        """Idle after a burst: the connection's page cache, then the allocator's free pages."""
        if self._conn is not None:
            try:
                shrink_writer_connection(self._conn)
            except Exception:  # memory is worth less than the writer thread
                log.warning("could not shrink the writer's page cache", exc_info=True)
                # Its state is unknown: the next batch starts on a new connection.
                self._drop_connection()
        self._trimmer.trim()

    def _drop_connection(self) -> None:
        """Let go of the writer's connection, rolling back whatever it was left holding."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if not conn.closed and not conn.invalidated and conn.in_transaction():
                conn.rollback()
        except Exception:  # a lost connection cannot roll back; closing it is what matters
            log.debug("rollback of the writer's old connection failed", exc_info=True)
        try:
            close_writer_connection(conn)
        except Exception:
            log.debug("closing the writer's old connection failed", exc_info=True)

    def _connection(self) -> Connection:
        """The writer's connection, a new one when it was lost, closed or left mid-transaction.

        The old one is dropped before connecting: when the database is still down, the connect
        fails and the next batch tries again, rather than every batch meeting a closed one.
        """
        conn = self._conn
        if conn is None or conn.closed or conn.invalidated or conn.in_transaction():
            self._drop_connection()
            conn = self._conn = writer_connection(self._engine)
        return conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A transaction on the writer's connection; a new one after a lost connection.

        On SQLite it begins at once with the write lock (the driver would begin only at the first
        write): the batch's credential read and its writes are one transaction, so a server
        deleted in between cannot come back with a heartbeat that was read as allowed.
        """
        conn = self._connection()
        with conn.begin():
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    def _next_batch(self) -> tuple[list[_Job], list[WriterCall[Any]], bool]:
        """Wait for one job, then take whatever else is queued: heartbeats, calls, and True
        once told to stop."""
        jobs: list[_Job] = []
        calls: list[WriterCall[Any]] = []
        if self._trimmer.due:
            try:
                first = self._queue.get(timeout=IDLE_BEFORE_TRIM_SECONDS)
            except queue.Empty:
                self._release_memory()
                first = self._queue.get()
        else:
            first = self._queue.get()
        item = first
        while True:
            if item is None:
                return jobs, calls, True
            if isinstance(item, _Job):
                jobs.append(item)
            elif isinstance(item, WriterCall):
                # Run after the heartbeats queued before it, not after those queued behind it.
                calls.append(item)
                return jobs, calls, False
            if len(jobs) >= MAX_BATCH:
                return jobs, calls, False
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return jobs, calls, False

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
        # Replays included: a replay is still a sighting (it brings an offline server back).
        stored = [
            (job.heartbeat, job.received_at)
            for job, outcome in zip(jobs, results, strict=True)
            if isinstance(outcome, StoredHeartbeat)
        ]
        written = {
            job.heartbeat.server_id
            for job, outcome in zip(jobs, results, strict=True)
            if isinstance(outcome, StoredHeartbeat) and not outcome.duplicate
        }
        if written:  # before the answers: a scrape after a 2xx serves what it stored
            try:
                self._on_written(written)
            except Exception:  # the heartbeats are committed: their answers stay 2xx
                log.exception("the writer's /metrics hook failed")
        _answer(list(zip(jobs, results, strict=True)))
        if stored:  # after the answers: the hook's work never delays a 2xx
            self._on_stored(stored)

    def _commit(self, jobs: list[_Job]) -> list[Outcome]:
        with self._transaction() as conn:
            # Credentials checked together first, samples and snapshots written together last.
            credentials = [
                (job.heartbeat.server_id, job.token_id) for job in jobs if job.token_id is not None
            ]
            arrivals = [(job.heartbeat, job.received_at, job.token_id) for job in jobs]
            with self._store.batched(conn, credentials):
                # A heartbeat refused here wrote nothing: its answer is its error.
                results: list[Outcome] = list(self._store.store_many(conn, arrivals))
            for job, outcome in zip(jobs, results, strict=True):
                if isinstance(outcome, ReplayTooClose):
                    self._store.warnings.note(
                        job.heartbeat.server_id, outcome.detail, job.received_at
                    )
            fresh = {
                heartbeat_instant(job.heartbeat)
                for job, stored in zip(jobs, results, strict=True)
                if isinstance(stored, StoredHeartbeat) and not stored.duplicate
            }
            if fresh:
                self._store.queue_rollups(conn, fresh)
            results = self._store.with_usage_orders(
                conn,
                [(job.heartbeat.server_id, r) for job, r in zip(jobs, results, strict=True)],
                datetime.now(UTC),
            )
        return results

    def _commit_one(self, job: _Job) -> Outcome:
        try:
            return self._commit([job])[0]
        except Exception as exc:  # noqa: BLE001
            log.error("heartbeat from %s not stored: %s", job.heartbeat.server_id, exc)
            self._store.forget_all()
            return self._busy("the database could not store the heartbeat")


def _answer(outcomes: list[tuple[_Job, Outcome]]) -> None:
    """Hand each request its outcome: one call into each waiting loop for the whole batch."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Job, Outcome]]] = {}
    for job, outcome in outcomes:
        job.answered = True
        if job.waiter is not None:
            by_loop.setdefault(job.waiter.get_loop(), []).append((job, outcome))
    for loop, answers in by_loop.items():
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody is waiting
            loop.call_soon_threadsafe(_settle, answers)


def _settle(answers: list[tuple[_Job, Outcome]]) -> None:
    for job, outcome in answers:
        waiter = job.waiter
        if waiter is None or waiter.done():  # its request gave up meanwhile
            continue
        if isinstance(outcome, BaseException):
            waiter.set_exception(outcome)
        else:
            waiter.set_result(outcome)
