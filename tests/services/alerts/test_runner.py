"""The evaluation thread's schedule on a real database: passes only for servers that crossed,
holds and the offline condition on their own clock. Passes and SQL statements are counted; the
clocks are the runner's own, moved by the test, so nothing waits for real time."""

import asyncio
import logging
import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Alert, Server
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.alerts.rules import put_rule
from homelab_cmd.services.alerts.runner import (
    MAX_FAILED_GAP_SECONDS,
    MAX_STORM_GAP_SECONDS,
    MIN_PASS_GAP_SECONDS,
    STORM_GAP_PER_SERVER,
    AlertRunner,
)
from homelab_cmd.services.fleet.servers import delete_server
from homelab_cmd.services.ingest.store import HeartbeatStore
from homelab_cmd.services.ingest.writer import HeartbeatWriter
from tests.factories import GIB, filesystem_payload, heartbeat_payload

T0 = datetime(2026, 12, 6, 12, tzinfo=UTC)


class Clocks:
    """The runner's wall clock and its monotonic one, moved together by the test."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start
        self.tick = 1000.0

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.tick += seconds


class Hub:
    """A runner (its threads not started: the test runs its steps) fed by the ingest path."""

    def __init__(self, engine: Engine, settings: Settings, **changes: Any) -> None:
        self.engine = engine
        self.clocks = Clocks()
        values = {"alert_evaluation_seconds": 10, "alert_hold_seconds": 0, **changes}
        self.runner_settings = settings.model_copy(update=values)
        self.runner = AlertRunner(
            engine,
            self.runner_settings,
            clock=lambda: self.clocks.now,
            ticker=lambda: self.clocks.tick,
        )
        self.store = HeartbeatStore()

    def send(self, used_gib: float, server: str = "nas-1", after: float = 1) -> None:
        """A heartbeat stored as the writer stores it, then told to the writer's hook."""
        self.clocks.advance(after)
        heartbeat = HeartbeatRequest.model_validate(beat(used_gib, server, self.clocks.now))
        with self.engine.begin() as conn:
            self.store.store(conn, heartbeat, self.clocks.now)
        self.runner.heartbeats_stored([(heartbeat, self.clocks.now)])

    def send_mounts(
        self, used_gib: dict[str, float], at: datetime | None = None, after: float = 1
    ) -> HeartbeatRequest:
        """A heartbeat of nas-1 with these mounts (used GiB of 100), stamped `at` (else now)."""
        self.clocks.advance(after)
        filesystems = [
            filesystem_payload(
                mount_point=mount,
                used_bytes=int(used * GIB),
                available_bytes=int((100 - used) * GIB),
                read_only=False,
            )
            for mount, used in used_gib.items()
        ]
        heartbeat = HeartbeatRequest.model_validate(
            heartbeat_payload(
                server_id="nas-1",
                hostname="nas-1",
                timestamp=at or self.clocks.now,
                filesystems=filesystems,
            )
        )
        self.tell(heartbeat)
        return heartbeat

    def tell(self, heartbeat: HeartbeatRequest) -> None:
        """Store a heartbeat now and tell it to the runner's hook."""
        with self.engine.begin() as conn:
            self.store.store(conn, heartbeat, self.clocks.now)
        self.runner.heartbeats_stored([(heartbeat, self.clocks.now)])

    def restart(self) -> None:
        """A new runner on the same database, as after a restart of the hub."""
        self.runner = AlertRunner(
            self.engine,
            self.runner_settings,
            clock=lambda: self.clocks.now,
            ticker=lambda: self.clocks.tick,
        )

    def mount_alerts(self) -> list[tuple[str | None, str, str]]:
        with Session(self.engine) as session:
            rows = session.scalars(select(Alert).order_by(Alert.mount_point, Alert.id))
            return [(a.mount_point, a.kind, a.state) for a in rows]

    def alerts(self) -> list[tuple[str, str, str]]:
        with Session(self.engine) as session:
            rows = session.scalars(select(Alert).order_by(Alert.id))
            return [(a.server_id, a.kind, a.state) for a in rows]


def beat(used_gib: float, server: str, at: datetime) -> dict[str, Any]:
    data = filesystem_payload(
        mount_point="/data",
        total_bytes=100 * GIB,
        used_bytes=int(used_gib * GIB),
        available_bytes=int((100 - used_gib) * GIB),
        read_only=False,
    )
    return heartbeat_payload(
        server_id=server, hostname=server, timestamp=at, filesystems=[filesystem_payload(), data]
    )


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements run on `engine` meanwhile."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_a_server_whose_disks_stay_in_their_bands_costs_no_pass_and_no_query(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings)
    assert hub.runner.step() == []  # the first step is the full pass: nothing marked
    hub.send(40)
    assert hub.runner.step() == ["nas-1"]  # the first heartbeat this process saw
    for step in range(1, 8):
        hub.send(40 + step / 10)
        with statements(engine) as seen:
            assert hub.runner.step() == []
        assert seen == []


def test_a_crossing_wakes_a_pass_over_its_server_only(engine: Engine, settings: Settings) -> None:
    hub = Hub(engine, settings)
    hub.runner.step()
    hub.send(40, "nas-1")
    hub.send(40, "nas-2")
    assert hub.runner.step() == ["nas-1", "nas-2"]
    hub.send(41, "nas-1")
    hub.send(90, "nas-2")
    assert hub.runner.step() == ["nas-2"]
    assert hub.alerts() == [("nas-2", "disk_used", "firing")]
    hub.send(50, "nas-2")
    assert hub.runner.step() == ["nas-2"]
    assert hub.alerts() == [("nas-2", "disk_used", "resolved")]


def test_a_pending_alert_fires_when_its_hold_ends_without_a_heartbeat_or_full_pass(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings, alert_hold_seconds=60, alert_evaluation_seconds=3600)
    hub.runner.step()
    hub.send(40)
    hub.runner.step()
    hub.send(90)
    assert hub.runner.step() == ["nas-1"]
    assert hub.alerts() == [("nas-1", "disk_used", "pending")]
    hub.clocks.advance(30)
    assert hub.runner.step() == []
    hub.clocks.advance(30)
    assert hub.runner.next_wake() <= hub.clocks.tick + 0.1
    hub.clocks.advance(0.1)
    assert hub.runner.step() == ["nas-1"]
    assert hub.alerts() == [("nas-1", "disk_used", "firing")]


def test_an_offline_server_alerts_without_a_heartbeat_and_its_return_wakes_a_pass(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings, offline_after_seconds=180)
    hub.runner.step()
    hub.send(40)
    hub.runner.step()
    hub.clocks.advance(5)
    assert hub.runner.step() == []  # quiet, and the full pass is not due yet
    hub.clocks.advance(200)
    assert hub.runner.step() == []  # nothing marked: the passes the clock runs judge it
    assert hub.alerts() == [("nas-1", "server_offline", "firing")]
    hub.send(40)  # the same figures as before it went quiet
    assert hub.runner.step() == ["nas-1"]
    assert hub.alerts() == [("nas-1", "server_offline", "resolved")]


def test_levels_changed_reach_the_crossing_check_on_the_full_pass(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings)
    hub.runner.step()
    hub.send(78)
    hub.runner.step()
    with Session(engine) as session:
        put_rule(session, "nas-1", None, {"warn_percent": 75})
    hub.clocks.advance(10)
    assert hub.runner.step() == []  # the full pass judges 78 % by the new level at once
    assert hub.alerts() == [("nas-1", "disk_used", "firing")]
    hub.send(77)  # in the new band: nothing to do
    assert hub.runner.step() == ["nas-1"]  # once, the bands remembered were the old levels'
    hub.send(77.5)
    assert hub.runner.step() == []
    hub.send(60)
    assert hub.runner.step() == ["nas-1"]
    assert hub.alerts() == [("nas-1", "disk_used", "resolved")]


def test_the_writer_tells_new_heartbeats_to_the_runner_and_forgets_deleted_servers(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings)
    writer = HeartbeatWriter(
        engine,
        max_clock_skew_seconds=300,
        deadline_seconds=120,
        on_stored=hub.runner.heartbeats_stored,
        on_forget=hub.runner.forget_server,
    )
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=60)  # live, not replays

    def submit(*offsets: int, used_gib: float = 40) -> None:
        beats = [
            HeartbeatRequest.model_validate(beat(used_gib, "nas-1", at + timedelta(seconds=s)))
            for s in offsets
        ]
        writer.start()
        try:
            asyncio.run(_all(writer, beats))
        finally:
            writer.stop()

    hub.runner.step()
    submit(0)
    assert hub.runner.step() == ["nas-1"]
    submit(0, 1, 2)  # a duplicate and two in the same bands
    assert hub.runner.step() == []
    writer.forget_server("nas-1")
    submit(3)
    assert hub.runner.step() == ["nas-1"]


async def _all(writer: HeartbeatWriter, beats: list[HeartbeatRequest]) -> None:
    for heartbeat in beats:
        await writer.submit(heartbeat)


def _unreachable(engine: Engine) -> Engine:
    """An engine of the same kind whose database cannot be reached, as while it restarts."""
    if engine.dialect.name == "sqlite":
        return create_engine("sqlite:////nonexistent-folder/hub.db")
    return create_engine(engine.url.set(port=1))


def test_a_database_that_stays_down_is_retried_less_often_and_logged_once_per_streak(
    engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    hub = Hub(engine, settings)
    hub.send(50)
    down = _unreachable(engine)
    hub.runner._engine = down  # the database goes away under the runner
    caplog.set_level(logging.DEBUG, logger="homelab_cmd.services.alerts.runner")
    hub.runner.mark(["nas-1"])
    gaps = []
    for _ in range(12):
        hub.clocks.advance(0.01)
        assert hub.runner.step() == ["nas-1"]  # each step retries the server, none loses it
        gaps.append(hub.runner.pass_gap())
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]

    assert len(failures) == 1  # once for the streak, with its trace
    assert failures[0].exc_info is not None
    assert gaps == sorted(gaps)
    assert gaps[0] > MIN_PASS_GAP_SECONDS
    assert gaps[-1] == MAX_FAILED_GAP_SECONDS

    caplog.clear()
    hub.runner._engine = engine  # back
    hub.clocks.advance(0.01)
    assert hub.runner.step() == ["nas-1"]
    assert hub.runner.pass_gap() == MIN_PASS_GAP_SECONDS
    assert any("works again" in r.getMessage() for r in caplog.records)

    hub.runner._engine = down  # a second outage is logged again
    caplog.clear()
    hub.runner.mark(["nas-1"])
    hub.runner.step()
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1
    down.dispose()


def test_a_crossing_judges_its_mount_and_keeps_the_hold_of_another_mounts_pending_alert(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings, alert_hold_seconds=60, alert_evaluation_seconds=3600)
    hub.runner.step()
    hub.send_mounts({"/a": 40, "/b": 40})
    hub.runner.step()
    hub.send_mounts({"/a": 40, "/b": 95})
    assert hub.runner.step() == ["nas-1"]
    hub.clocks.advance(30)
    hub.send_mounts({"/a": 95, "/b": 95})  # a pass over /a alone
    assert hub.runner.step() == ["nas-1"]
    assert hub.mount_alerts() == [("/a", "disk_used", "pending"), ("/b", "disk_used", "pending")]
    hub.clocks.advance(29.1)  # /b's hold ends (60 s after it started), /a's not yet
    assert hub.runner.step() == ["nas-1"]
    assert hub.mount_alerts() == [("/a", "disk_used", "pending"), ("/b", "disk_used", "firing")]


def test_a_crossing_past_the_budget_regroups_the_whole_server(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings, max_open_alerts_per_server=1)
    hub.runner.step()
    hub.send_mounts({"/a": 95, "/b": 95, "/c": 95})
    hub.runner.step()
    hub.send_mounts({"/a": 95, "/b": 95, "/c": 40})  # /c alone crossed, but it is in a group
    assert hub.runner.step() == ["nas-1"]
    with Session(engine) as session:
        group = session.scalars(
            select(Alert).where(Alert.mount_point.is_(None), Alert.open_key.is_not(None))
        ).one()
        assert group.figures == {"count": 1, "mounts": ["/b"]}


def test_an_old_replay_heard_first_after_a_restart_does_not_hide_the_next_crossing(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings)
    hub.runner.step()
    hub.send_mounts({"/data": 97})
    hub.runner.step()
    assert hub.mount_alerts() == [("/data", "disk_used", "firing")]
    hub.restart()
    hub.runner.step()
    # The agent replays what it kept from before: older than the stored snapshot at 97 %.
    hub.send_mounts({"/data": 50}, at=hub.clocks.now - timedelta(minutes=10))
    assert hub.runner.step() == ["nas-1"]  # the first heartbeat this process saw
    assert hub.mount_alerts() == [("/data", "disk_used", "firing")]  # the snapshot's 97 %
    hub.send_mounts({"/data": 50})  # live, in the replay's band but not the snapshot's
    assert hub.runner.step() == ["nas-1"]
    assert hub.mount_alerts() == [("/data", "disk_used", "resolved")]


def test_a_server_deleted_and_created_again_while_its_pass_is_pending_is_judged_anew(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings)
    hub.runner.step()
    hub.send_mounts({"/data": 40})
    hub.runner.step()
    hub.send_mounts({"/data": 97})  # a pass over /data pending
    with Session(engine) as session:
        server = session.get_one(Server, "nas-1")
        delete_server(session, server, [hub.store, hub.runner])
    hub.send_mounts({"/data": 40, "/new": 97})
    assert hub.runner.step() == ["nas-1"]
    assert hub.mount_alerts() == [("/new", "disk_used", "firing")]


def test_a_duplicate_heartbeat_told_to_the_runner_brings_an_offline_server_back_at_once(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings, offline_after_seconds=180)
    hub.runner.step()
    last = hub.send_mounts({"/data": 40})
    hub.runner.step()
    hub.clocks.advance(200)
    hub.runner.step()
    assert hub.alerts() == [("nas-1", "server_offline", "firing")]
    hub.tell(last)  # the agent sends its last heartbeat again: stored once, a sighting
    assert hub.runner.step() == ["nas-1"]
    assert hub.alerts() == [("nas-1", "server_offline", "resolved")]


def test_a_retried_heartbeat_does_not_count_as_another_without_a_mount(
    engine: Engine, settings: Settings
) -> None:
    # The agent retries a heartbeat whose answer it lost: stored once, it is a sighting, not a
    # second heartbeat without /x, so the real second one still fires `vanished` at once.
    hub = Hub(engine, settings, alert_evaluation_seconds=3600)
    hub.runner.step()  # the full pass; the next one an hour away
    hub.send_mounts({"/a": 40, "/x": 40})
    assert hub.runner.step() == ["nas-1"]
    first_without = hub.send_mounts({"/a": 40})
    assert hub.runner.step() == ["nas-1"]
    hub.clocks.advance(0.5)
    hub.tell(first_without)
    hub.runner.step()

    hub.send_mounts({"/a": 40})

    assert hub.runner.step() == ["nas-1"]
    assert hub.mount_alerts() == [("/x", "vanished", "firing")]


def test_evaluation_goes_on_after_a_step_fails_unexpectedly(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = Hub(engine, settings)
    calls: list[int] = []
    again = threading.Event()

    def step() -> list[str]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug past the pass's own guard")
        again.set()
        return []

    monkeypatch.setattr(hub.runner, "step", step)
    loop = threading.Thread(target=hub.runner._evaluate_loop, daemon=True)
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while not again.is_set() and time.monotonic() < deadline:
            hub.runner.mark(["nas-1"])  # wakes the loop's wait
            again.wait(0.1)
    finally:
        hub.runner._stop.set()
        hub.runner.mark(["nas-1"])
        loop.join(timeout=10)

    assert again.is_set()
    assert len(calls) >= 2


def test_under_a_storm_of_crossings_woken_passes_are_spaced_by_the_servers_they_took(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings)
    hub.runner.step()
    hub.send(40, "nas-1")
    started = hub.clocks.tick
    assert hub.runner.step() == ["nas-1"]
    hub.send(90, "nas-1")
    # A lone crossing: the next pass may start the shortest gap after the last.
    assert hub.runner.crossings_due() == started + MIN_PASS_GAP_SECONDS

    storm = [f"nas-{i:02d}" for i in range(20)]
    for server in storm:
        hub.send(40, server, after=0)
    started = hub.clocks.tick
    assert hub.runner.step() == sorted(["nas-1", *storm])
    assert hub.runner.crossings_due() == math.inf  # nothing marked: nothing to wait for
    hub.send(90, "nas-03")
    # 20 servers in one pass: the next woken pass waits the bound, no longer.
    assert hub.runner.crossings_due() == started + MAX_STORM_GAP_SECONDS
    assert hub.runner.storm_gap(3) == 3 * STORM_GAP_PER_SERVER < MAX_STORM_GAP_SECONDS

    started = hub.clocks.tick
    assert hub.runner.step() == ["nas-03"]
    assert ("nas-03", "disk_used", "firing") in hub.alerts()
    hub.send(40, "nas-03")
    # The storm over (a pass of one server), the gap is back to the shortest.
    assert hub.runner.crossings_due() == started + MIN_PASS_GAP_SECONDS


def test_the_loop_keeps_a_crossing_marked_within_a_storm_gap_for_the_gap_end(
    engine: Engine, settings: Settings
) -> None:
    """The evaluation thread itself, on the real clock: a crossing marked within a storm gap is
    passed once the gap ends (batched with any others), not before."""
    hub = Hub(engine, settings)
    runner = AlertRunner(engine, hub.runner_settings)
    passed: list[tuple[float, list[str]]] = []
    step = runner.step

    def timed_step() -> list[str]:
        # Stamped when the step starts, as the runner measures its gap (the first step, which
        # also begins the full pass, may take longer than the next).
        started = time.monotonic()
        dirty = step()
        passed.append((started, dirty))
        return dirty

    runner.step = timed_step  # type: ignore[method-assign]
    loop = threading.Thread(target=runner._evaluate_loop, daemon=True)
    loop.start()
    try:
        deadline = time.monotonic() + 30
        runner.mark([f"nas-{i:02d}" for i in range(20)])
        while not any(dirty for _, dirty in passed) and time.monotonic() < deadline:
            time.sleep(0.01)
        storm_at = next(at for at, dirty in passed if dirty)
        runner.mark(["nas-03"])
        while not any(d == ["nas-03"] for _, d in passed) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        runner._stop.set()
        runner._wake.set()
        loop.join(timeout=10)

    met_at = next(at for at, dirty in passed if dirty == ["nas-03"])
    assert met_at - storm_at >= MAX_STORM_GAP_SECONDS - 0.01
