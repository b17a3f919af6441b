"""The fleet's series served from memory are, byte for byte, what the database-reading collector
writes: after heartbeats, renames, deletes, a maintenance pass, a settings change, the clock
moving on, and writes made through another hub on the same database; and what a scrape reads
afresh (alert counts, the hub's own figures) is fresh on a scrape that finds the fleet unchanged."""

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.utils import floatToGoString
from sqlalchemy import Engine, select

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Filesystem
from homelab_cmd.main import create_app
from homelab_cmd.services.forecast.trends import store_trends
from homelab_cmd.services.prometheus.exposition import SnapshotCollector
from homelab_cmd.services.prometheus.fleet import FleetExposition
from homelab_cmd.services.prometheus.text import encode_part
from tests.conftest import API_KEY
from tests.factories import (
    GIB,
    drive_payload,
    filesystem_payload,
    heartbeat_payload,
    make_alert_objects,
    make_server,
    pool_payload,
    unreachable_filesystem_payload,
)
from tests.services.fleet.test_fills import TANK, _forecast

HEARTBEAT = "/api/v1/agents/heartbeat"
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    """NOW is each test's own start, not the module's import: a test run minutes after
    collection (pytest-xdist) would otherwise find a scrub meant to be a minute from overdue
    already overdue in the parts of a scrape that read the real clock."""
    monkeypatch.setattr(sys.modules[__name__], "NOW", datetime.now(UTC).replace(microsecond=0))


class Clock:
    """The time both renderings are asked about."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def _hub(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, headers={"X-API-Key": API_KEY}) as client:
        yield client


@pytest.fixture
def clock(app: FastAPI, client: TestClient) -> Clock:
    """The app's fleet on a clock of the test's (set before anything is rendered)."""
    fixed = Clock()
    app.state.fleet.clock = fixed
    return fixed


def rebuilt(app: FastAPI, clock: Clock, openmetrics: bool) -> bytes:
    """The series as the collector reads them from the database now."""
    settings: Settings = app.state.settings
    collector = SnapshotCollector(
        app.state.session_factory,
        settings.offline_after_seconds,
        app.state.writer.queue_depth,
        timedelta(days=settings.scrub_max_age_days),
        clock=clock,
    )
    body = encode_part(list(collector.collect()), openmetrics)
    assert body is not None
    return body


def assert_same(app: FastAPI, client: TestClient, clock: Clock) -> str:
    """Memory and database agree in both formats, and the scrape serves them; returns the text."""
    fleet: FleetExposition = app.state.fleet
    for openmetrics in (False, True):
        assert fleet.render(openmetrics).decode() == rebuilt(app, clock, openmetrics).decode()
    text = rebuilt(app, clock, openmetrics=False)
    assert client.get("/metrics").content.startswith(text)
    return text.decode()


def _beat(
    server_id: str, used_gib: int, minutes_ago: float = 1, **fields: object
) -> dict[str, object]:
    return heartbeat_payload(
        server_id=server_id,
        hostname=f"{server_id}.home.lan",
        timestamp=NOW - timedelta(minutes=minutes_ago),
        filesystems=[
            filesystem_payload(used_bytes=used_gib * GIB, available_bytes=(95 - used_gib) * GIB),
            filesystem_payload(mount_point="/data", device="/dev/sdb1", inodes_total=None),
            unreachable_filesystem_payload(),
        ],
        **fields,
    )


def test_heartbeats_renames_and_deletes(app: FastAPI, client: TestClient, clock: Clock) -> None:
    assert_same(app, client, clock)  # an empty fleet
    storage = {"drives": [drive_payload()], "pools": [pool_payload()]}
    client.post(HEARTBEAT, json=_beat("nas-1", 40, minutes_ago=3, **storage))
    client.post(HEARTBEAT, json=_beat("pi", 10, minutes_ago=3))
    before = assert_same(app, client, clock)
    assert 'server="pi"' in before

    client.post(HEARTBEAT, json=_beat("nas-1", 60, minutes_ago=2, **storage))
    assert assert_same(app, client, clock) != before

    assert client.patch("/api/v1/servers/pi", json={"display_name": "Kitchen Pi"}).is_success
    assert 'display_name="Kitchen Pi"' in assert_same(app, client, clock)

    assert client.delete("/api/v1/servers/pi").status_code == 204
    assert 'server="pi"' not in assert_same(app, client, clock)


def test_the_clock_alone_takes_servers_offline_and_scrubs_overdue(
    app: FastAPI, client: TestClient, clock: Clock
) -> None:
    scan = {
        "function": "scrub",
        "state": "finished",
        "errors": 0,
        "ended_at": (NOW - timedelta(days=35) + timedelta(minutes=1)).isoformat(),
    }
    client.post(HEARTBEAT, json=_beat("nas-1", 40, pools=[pool_payload(scan=scan)]))
    assert 'health="ok"' in assert_same(app, client, clock)

    clock.now = NOW + timedelta(minutes=2)  # the scrub is 35 days old: overdue, nothing written
    assert 'health="warning"' in assert_same(app, client, clock)

    clock.now = NOW + timedelta(days=1)
    text = assert_same(app, client, clock)
    assert 'homelab_server_up{server="nas-1"} 0.0' in text
    assert "homelab_pool_health{" not in text  # an offline server's pools are not served


def test_a_maintenance_pass_and_a_trend_written_elsewhere_are_served(
    app: FastAPI, client: TestClient, engine: Engine, settings: Settings, clock: Clock
) -> None:
    _forecast(engine, settings, NOW, TANK)  # datasets of one pool, dated by the pool
    text = assert_same(app, client, clock)
    assert "homelab_filesystem_predicted_full_timestamp_seconds{" in text

    with engine.begin() as conn:
        fs_id = conn.execute(
            select(Filesystem.id).where(Filesystem.mount_point == "/tank/a")
        ).scalar_one()
        row = {
            "filesystem_id": fs_id,
            "growth_bytes_per_day": 50 * GIB,
            "full_at": NOW + timedelta(days=2),
            "computed_at": NOW + timedelta(minutes=5),
        }
        store_trends(conn, [row])
    growth: str = floatToGoString(50 * GIB)  # type: ignore[no-untyped-call]
    assert f" {growth}\n" in assert_same(app, client, clock)


def test_an_alert_settings_change_is_served(app: FastAPI, client: TestClient, clock: Clock) -> None:
    client.post(HEARTBEAT, json=_beat("nas-1", 80))
    assert_same(app, client, clock)

    body = {"warn_percent": 50, "critical_percent": 60}
    assert client.put("/api/v1/alert-settings", json=body).is_success
    app.state.fleet.refresh()

    assert_same(app, client, clock)


def test_a_write_through_one_hub_is_served_by_another(
    settings: Settings, client: TestClient, app: FastAPI, clock: Clock
) -> None:
    other = create_app(settings)
    for other_client in _hub(other):
        other.state.fleet.clock = clock
        assert_same(other, other_client, clock)  # both hubs have rendered their blocks

        client.post(HEARTBEAT, json=_beat("nas-1", 40))
        assert 'server="nas-1"' in assert_same(other, other_client, clock)

        other_client.patch("/api/v1/servers/nas-1", json={"display_name": "Renamed elsewhere"})
        assert "Renamed elsewhere" in assert_same(app, client, clock)

        other_client.post(HEARTBEAT, json=_beat("nas-1", 70, minutes_ago=0.5))
        assert_same(app, client, clock)

        client.delete("/api/v1/servers/nas-1")
        assert 'server="nas-1"' not in assert_same(other, other_client, clock)


def test_a_server_block_is_bounded_by_its_lines(
    app: FastAPI, client: TestClient, clock: Clock
) -> None:
    client.post(HEARTBEAT, json=_beat("nas-1", 40))
    text = assert_same(app, client, clock)

    # The blocks hold the server's lines once (both formats share them), and little else.
    lines = sum(len(x) + 1 for x in text.splitlines() if 'server="nas-1"' in x)
    assert lines <= app.state.fleet.bytes_held() <= lines + 64


def test_servers_the_writer_names_are_rebuilt_from_their_own_rows(
    app: FastAPI, client: TestClient, clock: Clock
) -> None:
    fleet: FleetExposition = app.state.fleet
    client.post(HEARTBEAT, json=_beat("nas-1", 40, minutes_ago=3))
    fleet.refresh()
    one = fleet.bytes_held()

    beat = _beat("nas-1", 50, minutes_ago=2)
    filesystems = beat["filesystems"]
    assert isinstance(filesystems, list)
    filesystems.append(filesystem_payload(mount_point="/backup", device="/dev/sdc1"))
    client.post(HEARTBEAT, json=beat)
    # The hook as the writer calls it once the batch is committed (it may have already).
    fleet.written(["nas-1"])
    fleet.refresh_written()
    grown = fleet.bytes_held()
    assert grown > one  # a filesystem more, without the whole fleet's check

    client.post(HEARTBEAT, json=_beat("pi", 10))
    fleet.written(["pi"])
    fleet.refresh_written()  # a new server: its place in the order needs every row
    assert fleet.bytes_held() > grown
    assert 'server="pi"' in assert_same(app, client, clock)

    assert client.delete("/api/v1/servers/pi").status_code == 204
    fleet.written(["pi"])  # named by a batch committed just before the delete
    fleet.refresh_written()
    assert fleet.bytes_held() == grown
    assert 'server="pi"' not in assert_same(app, client, clock)


def test_a_scrape_of_an_unchanged_fleet_serves_fresh_alert_counts_and_hub_counters(
    app: FastAPI, client: TestClient, engine: Engine, clock: Clock
) -> None:
    make_server(engine, "quiet")
    firing = 'homelab_alerts_firing{kind="disk_used",severity="warning"} '
    rejected = 'homelab_hub_heartbeats_rejected_total{reason="validation_error"} '
    for openmetrics in (False, True):
        before = app.state.exposition.render(_accept(openmetrics))[0].decode()
        assert firing + "0.0\n" in before
        assert rejected not in before

    make_alert_objects(engine, "quiet")
    client.post(HEARTBEAT, json=heartbeat_payload(server_id="Not A Slug"))

    for openmetrics in (False, True):
        after = app.state.exposition.render(_accept(openmetrics))[0].decode()
        assert firing + "1.0\n" in after
        assert rejected + "1.0\n" in after
    assert_same(app, client, clock)


def _accept(openmetrics: bool) -> str:
    return "application/openmetrics-text; version=1.0.0" if openmetrics else "text/plain"
