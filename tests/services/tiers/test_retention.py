"""Pruning: each tier keeps exactly its configured retention."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from homelab_cmd.config import Settings
from homelab_cmd.db.models import (
    FilesystemDaily,
    FilesystemHourly,
    FilesystemSample,
    ServerMetric,
    ServerMetricDaily,
)
from homelab_cmd.db.tables import table_of
from homelab_cmd.domain.tiers import Resolution
from homelab_cmd.services.maintenance.passes import run_maintenance
from homelab_cmd.services.tiers.retention import RETENTION, retention
from tests.factories import GIB, filesystem_hour_row, make_filesystem

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def seed(engine: Engine) -> None:
    fs_id = make_filesystem(engine)
    raw = [
        {
            "filesystem_id": fs_id,
            "sampled_at": NOW - days * DAY,
            "total_bytes": GIB,
            "used_bytes": 1,
            "available_bytes": 1,
        }
        for days in (8, 7.01, 6.99, 1)
    ]
    metrics = [{"server_id": "nas-1", "sampled_at": NOW - d * DAY} for d in (8, 1)]
    hourly = [filesystem_hour_row(fs_id, NOW - d * DAY, 1, GIB) for d in (91, 89)]
    daily = [filesystem_hour_row(fs_id, NOW - d * DAY, 1, GIB) for d in (366, 364)]
    server_daily = [
        {"server_id": "nas-1", "bucket_at": NOW - d * DAY, "sample_count": 1} for d in (400, 2)
    ]
    with engine.begin() as conn:
        conn.execute(table_of(FilesystemSample).insert(), raw)
        conn.execute(table_of(ServerMetric).insert(), metrics)
        conn.execute(table_of(FilesystemHourly).insert(), hourly)
        conn.execute(table_of(FilesystemDaily).insert(), daily)
        conn.execute(table_of(ServerMetricDaily).insert(), server_daily)


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_every_tier_is_pruned_to_its_retention(engine: Engine, settings: Settings) -> None:
    seed(engine)

    report = run_maintenance(engine, settings, NOW)

    assert count(engine, FilesystemSample) == 2
    assert count(engine, ServerMetric) == 1
    assert count(engine, FilesystemHourly) == 1
    assert count(engine, FilesystemDaily) == 1
    assert count(engine, ServerMetricDaily) == 1
    assert report.pruned["filesystem_sample"] == 2
    assert report.pruned["filesystem_daily"] == 1


def test_retention_follows_the_settings(engine: Engine, settings: Settings) -> None:
    seed(engine)
    short = settings.model_copy(update={"raw_retention_days": 2, "hourly_retention_days": 30})

    run_maintenance(engine, short, NOW)

    assert count(engine, FilesystemSample) == 1
    assert count(engine, FilesystemHourly) == 0


def test_pruning_twice_changes_nothing(engine: Engine, settings: Settings) -> None:
    seed(engine)
    run_maintenance(engine, settings, NOW)

    again = run_maintenance(engine, settings, NOW)

    assert set(again.pruned.values()) == {0}


def test_the_retention_table_covers_every_tier(settings: Settings) -> None:
    assert set(RETENTION) == set(Resolution)
    assert retention(settings, Resolution.RAW) == timedelta(days=7)
    assert retention(settings, Resolution.HOURLY) == timedelta(days=90)
    assert retention(settings, Resolution.DAILY) == timedelta(days=365)
