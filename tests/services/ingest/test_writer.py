"""The heartbeat writer: group commit, and one bad heartbeat never sinks its batch."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import OperationalError

from homelab_cmd.db.engine import make_engine, writer_connection
from homelab_cmd.db.models import ServerMetric
from homelab_cmd.errors import (
    HeartbeatRateLimited,
    HomelabError,
    ServiceUnavailable,
    TimestampInFuture,
)
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest import writer as writer_module
from homelab_cmd.services.ingest.limits import Limits
from homelab_cmd.services.ingest.store import Arrival, HeartbeatStore, StoredHeartbeat
from homelab_cmd.services.ingest.writer import HeartbeatWriter
from tests.factories import heartbeat_payload


class FailingFor(HeartbeatStore):
    """A store that cannot store one server's heartbeats, as when its rows vanished meanwhile."""

    def __init__(self, server_id: str) -> None:
        super().__init__()
        self.server_id = server_id

    def store_many(
        self, conn: Connection, arrivals: Sequence[Arrival]
    ) -> list[StoredHeartbeat | HomelabError]:
        if any(heartbeat.server_id == self.server_id for heartbeat, _, _ in arrivals):
            raise RuntimeError("database refused the row")
        return super().store_many(conn, arrivals)


def _heartbeat(server_id: str, minutes_ago: int = 0) -> HeartbeatRequest:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return HeartbeatRequest.model_validate(heartbeat_payload(server_id=server_id, timestamp=at))


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(ServerMetric)) or 0)


async def _submit_all(writer: HeartbeatWriter, heartbeats: list[HeartbeatRequest]) -> list[object]:
    return await asyncio.gather(*(writer.submit(h) for h in heartbeats), return_exceptions=True)


def test_concurrent_heartbeats_are_all_committed_once(engine: Engine) -> None:
    # A generous deadline: this is about group commit, not about a slow machine's 503s.
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    writer.start()
    heartbeats = [_heartbeat(f"host-{i % 20}", minutes_ago=i // 20) for i in range(200)]
    try:
        results = asyncio.run(_submit_all(writer, heartbeats + heartbeats[:50]))
    finally:
        writer.stop()

    assert all(isinstance(r, StoredHeartbeat) for r in results)
    assert sum(r.duplicate for r in results if isinstance(r, StoredHeartbeat)) == 50
    assert _stored(engine) == 200


def test_the_stored_hook_hears_of_replays_too(engine: Engine) -> None:
    # A replay stores nothing new, but its server was heard from (alerts: back online).
    heard: list[tuple[str, datetime]] = []
    writer = HeartbeatWriter(
        engine,
        max_clock_skew_seconds=300,
        deadline_seconds=120,
        on_stored=lambda batch: heard.extend((h.server_id, h.timestamp) for h, _ in batch),
    )
    writer.start()
    beat = _heartbeat("host-1", minutes_ago=5)
    try:
        first = asyncio.run(writer.submit(beat))
        replay = asyncio.run(writer.submit(beat))
    finally:
        writer.stop()

    assert isinstance(first, StoredHeartbeat) and not first.duplicate
    assert isinstance(replay, StoredHeartbeat) and replay.duplicate
    assert heard == [("host-1", beat.timestamp)] * 2
    assert _stored(engine) == 1


def test_a_heartbeat_that_cannot_be_stored_fails_alone(engine: Engine) -> None:
    writer = HeartbeatWriter(
        engine,
        max_clock_skew_seconds=300,
        store=FailingFor("broken"),
        deadline_seconds=120,
        retry_after_seconds=9,
    )
    writer.start()
    heartbeats = [_heartbeat("ok-1"), _heartbeat("broken"), _heartbeat("ok-2")]
    try:
        results = asyncio.run(_submit_all(writer, heartbeats))
    finally:
        writer.stop()

    assert isinstance(results[1], ServiceUnavailable)
    assert results[1].headers == {"Retry-After": "9"}  # the hub's setting, not a default
    assert isinstance(results[0], StoredHeartbeat)
    assert isinstance(results[2], StoredHeartbeat)
    assert _stored(engine) == 2


def test_a_heartbeat_from_a_clock_far_ahead_is_refused_before_queueing(engine: Engine) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=60)
    ahead = HeartbeatRequest.model_validate(
        heartbeat_payload(timestamp=datetime.now(UTC) + timedelta(minutes=5))
    )

    with pytest.raises(TimestampInFuture):
        asyncio.run(writer.submit(ahead))

    assert _stored(engine) == 0


def test_a_request_given_up_while_queued_does_not_stop_the_writer(engine: Engine) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)

    async def give_up_then_send() -> object:
        # The writer is not started yet, so the first heartbeat waits in the queue when its
        # request is cancelled; the writer must skip it and still serve the next one.
        abandoned = asyncio.ensure_future(writer.submit(_heartbeat("gone")))
        await asyncio.sleep(0)
        abandoned.cancel()
        # The cancel reaches the queued job through a few callbacks on the loop.
        for _ in range(5):
            await asyncio.sleep(0)
        assert abandoned.cancelled()
        writer.start()
        return await asyncio.wait_for(writer.submit(_heartbeat("next")), timeout=10)

    try:
        result = asyncio.run(give_up_then_send())
    finally:
        writer.stop()

    assert isinstance(result, StoredHeartbeat)
    assert _stored(engine) == 1


def test_a_full_queue_answers_503_with_retry_after_at_once(engine: Engine) -> None:
    # Not started: nothing drains the queue, as when the database is stuck.
    writer = HeartbeatWriter(
        engine, max_clock_skew_seconds=300, queue_size=2, deadline_seconds=30, retry_after_seconds=7
    )

    async def overfill() -> list[object]:
        waiting = [asyncio.ensure_future(writer.submit(_heartbeat(f"h{i}"))) for i in range(2)]
        await asyncio.sleep(0)
        try:
            await writer.submit(_heartbeat("h2"))
        except ServiceUnavailable as exc:
            return [exc, *waiting]
        finally:
            for task in waiting:
                task.cancel()
        return []

    refused, *_ = asyncio.run(overfill())

    assert isinstance(refused, ServiceUnavailable)
    assert refused.headers == {"Retry-After": "7"}
    assert "queue is full" in refused.detail


def test_a_heartbeat_not_committed_by_the_deadline_gets_503_and_is_not_stored_later(
    engine: Engine,
) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=0.2)

    with pytest.raises(ServiceUnavailable, match=r"not committed within 0\.2 s"):
        asyncio.run(writer.submit(_heartbeat("late")))
    writer.start()
    writer.stop()  # drains the queue: the given-up heartbeat is skipped

    assert _stored(engine) == 0


def _one_a_minute() -> HeartbeatStore:
    return HeartbeatStore(Limits(heartbeats_per_minute=1))


def test_a_heartbeat_refused_for_a_full_queue_keeps_its_servers_rate_token(
    engine: Engine,
) -> None:
    writer = HeartbeatWriter(
        engine, max_clock_skew_seconds=300, store=_one_a_minute(), queue_size=1
    )

    async def refused_then_sent_again() -> tuple[object, object]:
        # Not started: the queue's one place is taken by another server's heartbeat.
        waiting = asyncio.ensure_future(writer.submit(_heartbeat("other")))
        await asyncio.sleep(0)
        try:
            await writer.submit(_heartbeat("nas"))
        except ServiceUnavailable as exc:
            refused: object = exc
        waiting.cancel()
        for _ in range(5):
            await asyncio.sleep(0)
        writer.start()
        again = await asyncio.gather(writer.submit(_heartbeat("nas")), return_exceptions=True)
        return refused, again[0]

    try:
        refused, again = asyncio.run(refused_then_sent_again())
    finally:
        writer.stop()

    assert isinstance(refused, ServiceUnavailable)
    assert isinstance(again, StoredHeartbeat)
    assert _stored(engine) == 1


def test_a_heartbeat_refused_at_the_deadline_keeps_its_servers_rate_token(
    engine: Engine,
) -> None:
    writer = HeartbeatWriter(
        engine, max_clock_skew_seconds=300, store=_one_a_minute(), deadline_seconds=0.2
    )
    with pytest.raises(ServiceUnavailable):
        asyncio.run(writer.submit(_heartbeat("nas")))
    writer.start()
    try:
        stored = asyncio.run(writer.submit(_heartbeat("nas")))
        with pytest.raises(HeartbeatRateLimited):  # the budget still holds
            asyncio.run(writer.submit(_heartbeat("nas")))
    finally:
        writer.stop()

    assert isinstance(stored, StoredHeartbeat)


def test_the_writer_keeps_one_connection_of_its_own_across_batches(engine: Engine) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    writer.start()
    try:
        for minutes_ago in (3, 2, 1):
            asyncio.run(
                _submit_all(writer, [_heartbeat(f"host-{i}", minutes_ago) for i in range(5)])
            )
            # Between batches the writer still holds its connection (and its page cache).
            assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    finally:
        writer.stop()

    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert _stored(engine) == 15


def test_the_writer_carries_on_after_its_connection_is_lost(engine: Engine) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    writer.start()
    try:
        asyncio.run(writer.submit(_heartbeat("before", 2)))
        assert writer._conn is not None
        if engine.dialect.name == "postgresql":
            # The database ends the writer's session, as a restart of PostgreSQL would (only
            # that session: others may be using the same database).
            backend = writer._conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
            with engine.begin() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        else:
            # SQLite has no server to lose; a connection dropped under the writer is the nearest
            # thing (there is no other way to break a file-backed connection from outside).
            writer._conn.invalidate()
        result = asyncio.run(writer.submit(_heartbeat("after", 1)))
    finally:
        writer.stop()

    assert isinstance(result, StoredHeartbeat)
    assert _stored(engine) == 2


def test_the_writer_reconnects_once_the_database_is_back_after_a_failed_reconnect(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    # A database restart cannot be staged here (the test database is shared and stays up), so
    # the writer's connect is made to fail while the "restart" lasts: what a connect to a
    # PostgreSQL still starting up does. Everything else is the real database.
    down = True
    refused: list[Engine] = []

    def connect(target: Engine) -> Connection:
        if down:
            refused.append(target)
            raise OperationalError(
                "connect", {}, ConnectionRefusedError("the database is starting up")
            )
        return writer_connection(target)

    monkeypatch.setattr(writer_module, "writer_connection", connect)
    down = False
    writer.start()
    try:
        asyncio.run(writer.submit(_heartbeat("before", 3)))
        assert writer._conn is not None
        writer._conn.invalidate()  # lost, as in the test above
        down = True
        with pytest.raises(ServiceUnavailable):
            asyncio.run(writer.submit(_heartbeat("during", 2)))
        down = False
        result = asyncio.run(writer.submit(_heartbeat("after", 1)))
    finally:
        writer.stop()

    assert refused
    assert isinstance(result, StoredHeartbeat)
    assert _stored(engine) == 2
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_failed_shrink_leaves_the_next_batch_a_new_connection(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The writer thread does not trim on its own meanwhile: the test does, while it is idle.
    monkeypatch.setattr(writer_module, "IDLE_BEFORE_TRIM_SECONDS", 3600.0)
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    writer.start()
    try:
        asyncio.run(writer.submit(_heartbeat("before", 2)))
        first = writer._conn
        assert first is not None

        def shrink(conn: Connection) -> None:
            # Nothing here makes SQLite's shrink fail: this one dies half way, leaving the
            # connection mid-transaction as a failure between its statement and commit would.
            conn.begin()
            raise OperationalError("PRAGMA shrink_memory", {}, RuntimeError("disk I/O error"))

        monkeypatch.setattr(writer_module, "shrink_writer_connection", shrink)
        writer._release_memory()
        assert first.closed  # rolled back and let go, not kept mid-transaction
        result = asyncio.run(writer.submit(_heartbeat("after", 1)))
        assert writer._conn is not first
    finally:
        writer.stop()

    assert isinstance(result, StoredHeartbeat)
    assert _stored(engine) == 2
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_two_writers_on_one_database_store_the_same_servers_heartbeats(db_url: str) -> None:
    # Two hub processes behind one address: each gets some of every server's heartbeats.
    engines = [make_engine(db_url), make_engine(db_url)]
    writers = [
        HeartbeatWriter(e, max_clock_skew_seconds=300, deadline_seconds=120) for e in engines
    ]
    for writer in writers:
        writer.start()
    heartbeats = [_heartbeat(f"host-{i % 10}", minutes_ago=i // 10) for i in range(60)]

    async def both() -> list[object]:
        return await asyncio.gather(
            *(writers[i // 10 % 2].submit(h) for i, h in enumerate(heartbeats)),
            return_exceptions=True,
        )

    try:
        results = asyncio.run(both())
    finally:
        for writer in writers:
            writer.stop()

    assert all(isinstance(r, StoredHeartbeat) for r in results), results
    assert _stored(engines[0]) == 60
    for engine in engines:
        engine.dispose()
