"""History reads: tier per range, the point cap, bucketing and continuity of series."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import FilesystemHourly, FilesystemSample
from homelab_cmd.db.tables import table_of
from homelab_cmd.domain.tiers import HistoryRange, Resolution
from homelab_cmd.errors import FilesystemNotFound
from homelab_cmd.services.fleet import history
from homelab_cmd.services.maintenance.passes import run_maintenance
from tests.factories import (
    GIB,
    filesystem_hour_row,
    filesystem_payload,
    heartbeat_payload,
    make_filesystem,
    store_heartbeats,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("range_", "tier", "step"),
    [
        (HistoryRange.H1, Resolution.RAW, 5),
        (HistoryRange.H6, Resolution.RAW, 15),
        (HistoryRange.H24, Resolution.RAW, 60),
        (HistoryRange.D7, Resolution.HOURLY, 3600),
        (HistoryRange.D30, Resolution.HOURLY, 3600),
        (HistoryRange.D90, Resolution.HOURLY, 7200),
        (HistoryRange.M12, Resolution.DAILY, 86400),
    ],
)
def test_each_range_reads_its_tier_within_the_point_cap(
    range_: HistoryRange, tier: Resolution, step: int
) -> None:
    plan = history.plan(range_, NOW)

    assert (plan.tier, plan.step_seconds) == (tier, step)
    assert (plan.end_at - plan.start_at).total_seconds() / step + 1 <= 1501


def test_dense_raw_samples_are_bucketed_under_the_cap(engine: Engine) -> None:
    fs_id = make_filesystem(engine)
    start = NOW - timedelta(hours=24)
    rows = [
        {
            "filesystem_id": fs_id,
            "sampled_at": start + timedelta(seconds=20 * i),
            "total_bytes": 100 * GIB,
            "used_bytes": (i % 3) * GIB,
            "available_bytes": 50 * GIB,
        }
        for i in range(24 * 180)
    ]
    with engine.begin() as conn:
        conn.execute(table_of(FilesystemSample).insert(), rows)

    with Session(engine) as session:
        result = history.filesystem_metrics(session, "nas-1", "/data", HistoryRange.H24, NOW)

    points = result.filesystems[0].points
    assert result.resolution is Resolution.RAW
    assert 1400 <= len(points) <= 1500
    assert points[1].sample_count == 3
    assert (points[1].used_bytes_min, points[1].used_bytes, points[1].used_bytes_max) == (
        0,
        GIB,
        2 * GIB,
    )


def test_ninety_days_merges_hours_by_sample_count(engine: Engine) -> None:
    fs_id = make_filesystem(engine)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    rows = [filesystem_hour_row(fs_id, start, 10 * GIB, 100 * GIB)]
    second = filesystem_hour_row(fs_id, start + timedelta(hours=1), 40 * GIB, 100 * GIB)
    rows.append(second | {"sample_count": 20, "used_bytes_max": 70 * GIB})
    with engine.begin() as conn:
        conn.execute(table_of(FilesystemHourly).insert(), rows)

    with Session(engine) as session:
        result = history.filesystem_metrics(session, "nas-1", None, HistoryRange.D90, NOW)

    (point,) = result.filesystems[0].points
    assert result.resolution is Resolution.HOURLY
    assert point.sample_count == 80
    assert (point.used_bytes_min, point.used_bytes_max) == (10 * GIB, 70 * GIB)
    assert point.used_bytes == int(17.5 * GIB)  # (60 x 10 + 20 x 40) / 80


def test_server_metrics_come_from_the_hourly_tier_for_a_week(
    engine: Engine, settings: Settings
) -> None:
    start = NOW - timedelta(hours=3)
    beats = [
        heartbeat_payload(
            timestamp=start + timedelta(minutes=30 * i),
            metrics=heartbeat_payload()["metrics"] | {"cpu_percent": 10.0 * i},
        )
        for i in range(6)
    ]
    store_heartbeats(engine, beats)
    run_maintenance(engine, settings, NOW)

    with Session(engine) as session:
        week = history.server_metrics(session, "nas-1", HistoryRange.D7, NOW)
        hour = history.server_metrics(session, "nas-1", HistoryRange.H6, NOW)

    # Point fields come from the metric catalogue, so they are read by name.
    weekly = [p.model_dump() for p in week.points]
    assert [p["sample_count"] for p in weekly] == [2, 2, 2]
    assert [(p["cpu_percent_min"], p["cpu_percent_max"]) for p in weekly] == [
        (0.0, 10.0),
        (20.0, 30.0),
        (40.0, 50.0),
    ]
    assert len(hour.points) == 6
    assert hour.points[0].model_dump()["cpu_percent_min"] is None  # a raw sample has no spread


def test_every_filesystem_including_one_that_disappeared(engine: Engine) -> None:
    old = filesystem_payload(mount_point="/mnt/usb", device="/dev/sdc1")
    new = filesystem_payload(mount_point="/", device="/dev/sda1")
    store_heartbeats(
        engine,
        [
            heartbeat_payload(timestamp=NOW - timedelta(hours=5), filesystems=[old, new]),
            heartbeat_payload(timestamp=NOW - timedelta(hours=1), filesystems=[new]),
            heartbeat_payload(timestamp=NOW - timedelta(minutes=1), filesystems=[old, new]),
        ],
    )

    with Session(engine) as session:
        day = history.filesystem_metrics(session, "nas-1", None, HistoryRange.H24, NOW)

    series = {s.mount_point: s for s in day.filesystems}
    assert sorted(series) == ["/", "/mnt/usb"]
    assert len(series["/mnt/usb"].points) == 2  # the same series continues after it came back
    assert len(series["/"].points) == 3


def test_unknown_mount_point_is_reported(engine: Engine) -> None:
    make_filesystem(engine)

    with Session(engine) as session, pytest.raises(FilesystemNotFound):
        history.filesystem_metrics(session, "nas-1", "/nope", HistoryRange.H1, NOW)


def test_a_week_reaches_the_current_hour_before_it_is_rolled_up(
    engine: Engine, settings: Settings
) -> None:
    now = NOW + timedelta(minutes=40)
    beats = [
        heartbeat_payload(
            timestamp=NOW - timedelta(hours=2) + timedelta(minutes=20 * i),
            metrics=heartbeat_payload()["metrics"] | {"cpu_percent": 10.0 * i},
        )
        for i in range(9)
    ]
    store_heartbeats(engine, beats)
    # The last maintenance ran before the previous hour ended: only NOW-2h is rolled up.
    run_maintenance(engine, settings, NOW - timedelta(minutes=5))

    with Session(engine) as session:
        week = history.server_metrics(session, "nas-1", HistoryRange.D7, now)

    points = [p.model_dump() for p in week.points]
    assert [p["timestamp"] for p in points] == [NOW - timedelta(hours=2 - i) for i in range(3)]
    assert [p["sample_count"] for p in points] == [3, 3, 3]
    assert [p["cpu_percent_max"] for p in points] == [20.0, 50.0, 80.0]
    assert points[-1]["cpu_percent"] == 70.0
