"""Work handed to the heartbeat writer (`HeartbeatWriter.call`): run in its thread on its own
connection, with the heartbeats queued before it, failures handed back; and an alert pass woken
by a crossing commits there, so the writer's page cache is not thrown away (writer_calls.py)."""

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine, event, func, select, text

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Alert, ServerMetric
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest import writer_calls
from homelab_cmd.services.ingest.writer import HeartbeatWriter
from homelab_cmd.services.ingest.writer_calls import WriterCall
from tests.factories import heartbeat_payload
from tests.services.alerts.test_runner import Hub


def _heartbeat(server_id: str, seconds_ago: int = 0) -> HeartbeatRequest:
    at = datetime.now(UTC) - timedelta(seconds=seconds_ago)
    return HeartbeatRequest.model_validate(heartbeat_payload(server_id=server_id, timestamp=at))


def _seen(conn: Connection) -> tuple[str, int, Connection]:
    count = int(conn.scalar(select(func.count()).select_from(ServerMetric)) or 0)
    return threading.current_thread().name, count, conn


def test_a_call_runs_in_the_writer_thread_on_its_connection_after_what_was_queued(
    engine: Engine,
) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    writer.start()
    try:

        async def beat_then_call() -> tuple[str, int, Connection]:
            stored = asyncio.ensure_future(writer.submit(_heartbeat("host-1")))
            await asyncio.sleep(0)  # queued before the call
            seen = await asyncio.to_thread(writer.call, _seen)
            await stored
            return seen

        thread, count, conn = asyncio.run(beat_then_call())
        assert thread == "heartbeat-writer"
        assert count == 1
        assert conn is writer._conn  # the writer's own, kept between batches
    finally:
        writer.stop()


def test_a_failing_call_raises_for_its_caller_writes_nothing_and_the_writer_goes_on(
    engine: Engine,
) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE probe (n INTEGER)"))

    def fails(conn: Connection) -> None:
        with conn.begin():
            conn.execute(text("INSERT INTO probe VALUES (1)"))
            raise RuntimeError("the pass broke")

    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    writer.start()
    try:
        with pytest.raises(RuntimeError, match="the pass broke"):
            writer.call(fails)
        asyncio.run(writer.submit(_heartbeat("host-1")))
        assert writer.call(_seen)[1] == 1
    finally:
        writer.stop()
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM probe")) == 0


def test_without_a_running_writer_a_call_runs_here(engine: Engine) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    assert writer.call(_seen)[0] == threading.current_thread().name
    writer.start()
    writer.stop()
    assert writer.call(_seen)[0] == threading.current_thread().name


def test_a_call_the_writer_never_took_is_run_by_its_caller(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_calls, "ALIVE_CHECK_SECONDS", 0.01)
    call = WriterCall(_seen)
    # As when the writer stopped with it still queued: nobody will run it but its caller.
    assert call.result(lambda: False, engine)[0] == threading.current_thread().name
    with engine.connect() as conn:
        call.run(conn)  # too late: it ran once, and once only
    taken = WriterCall(_seen)
    running = threading.Event()

    def writer_thread() -> None:
        with engine.connect() as conn:
            running.wait()
            taken.run(conn)

    thread = threading.Thread(target=writer_thread, name="heartbeat-writer")
    thread.start()
    running.set()
    assert taken.result(thread.is_alive, engine)[0] == "heartbeat-writer"
    thread.join()


def test_a_pass_woken_by_a_crossing_commits_on_the_writer_connection(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings)
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    hub.runner.write_on(writer.call)
    commits: list[tuple[str, bool]] = []

    def committed(conn: Connection) -> None:
        commits.append((threading.current_thread().name, conn is writer._conn))

    writer.start()
    event.listen(engine, "commit", committed)
    try:
        hub.runner.step()
        hub.send(40)
        hub.runner.step()
        hub.send(90)  # stored by the test's own connection
        writer.call(lambda conn: None)  # the writer's connection made (its setup commits)
        commits.clear()
        assert hub.runner.step() == ["nas-1"]
        assert hub.alerts() == [("nas-1", "disk_used", "firing")]
        assert commits == [("heartbeat-writer", True)]  # the pass's one commit
    finally:
        event.remove(engine, "commit", committed)
        writer.stop()
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Alert)) == 1
