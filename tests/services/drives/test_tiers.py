"""Drive readings in the tiers: days rolled up by the maintenance pass, long ranges read from them,
each tier pruned at its retention."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import DriveDaily, DriveSample
from homelab_cmd.domain.tiers import HistoryRange
from homelab_cmd.schemas.drive import DriveHistory
from homelab_cmd.services.drives.reads import drive_history, server_drives
from homelab_cmd.services.maintenance.passes import run_maintenance
from tests.factories import drive_payload, heartbeat_payload, store_heartbeats

START = datetime(2026, 11, 1, tzinfo=UTC)


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def read_hourly(engine: Engine, hours: range) -> None:
    """One drive read each hour: 30 °C plus the hour of the day, one more sector each day."""
    store_heartbeats(
        engine,
        [
            heartbeat_payload(
                server_id="nas-1",
                timestamp=at(h),
                drives=[drive_payload(at(h), {5: h // 24}, temperature_celsius=30 + h % 24)],
            )
            for h in hours
        ],
    )


def days(engine: Engine) -> list[tuple[datetime, int | None, float | None, int | None, int, int]]:
    with Session(engine) as session:
        return [
            (
                r.day,
                r.temperature_min,
                r.temperature_avg,
                r.temperature_max,
                r.counts["ata_5"],
                r.sample_count,
            )
            for r in session.scalars(select(DriveDaily).order_by(DriveDaily.day))
        ]


def history(engine: Engine, range_: HistoryRange, now: datetime) -> DriveHistory:
    with Session(engine) as session:
        (drive,) = server_drives(session, "nas-1")
        return drive_history(session, "nas-1", drive.id, range_, now)


def count(engine: Engine, model: type[DriveSample] | type[DriveDaily]) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_complete_days_roll_up_into_min_avg_max_and_a_second_pass_changes_nothing(
    engine: Engine, settings: Settings
) -> None:
    read_hourly(engine, range(3 * 24 + 5))  # three whole days and five hours of the fourth

    report = run_maintenance(engine, settings, at(3 * 24 + 5))
    first = days(engine)
    again = run_maintenance(engine, settings, at(3 * 24 + 5))

    assert report.drive_days == 3
    assert first == [(START + timedelta(days=d), 30, 30 + 23 / 2, 53, d, 24) for d in range(3)]
    assert again.drive_days == 0
    assert days(engine) == first


def test_the_12m_range_reads_the_daily_tier_and_7d_the_raw_readings(
    engine: Engine, settings: Settings
) -> None:
    read_hourly(engine, range(3 * 24 + 5))
    run_maintenance(engine, settings, at(3 * 24 + 5))

    year = history(engine, HistoryRange.M12, at(3 * 24 + 5))
    week = history(engine, HistoryRange.D7, at(3 * 24 + 5))

    assert (year.resolution, year.step_seconds) == ("daily", 86400)
    # Three rolled-up days, then today's readings not rolled up yet as one more day.
    assert [(p.at, p.temperature_min, p.temperature_max) for p in year.points] == [
        (START + timedelta(days=d), 30, 53) for d in range(3)
    ] + [(START + timedelta(days=3), 30, 34)]
    assert year.points[0].temperature_celsius == 42  # the mean 41.5, rounded to even
    assert week.resolution == "raw"
    assert len(week.points) == 3 * 24 + 5
    assert week.points[-1].temperature_min is None  # one reading: no spread


def test_a_90d_range_stays_under_1500_points(engine: Engine, settings: Settings) -> None:
    read_hourly(engine, range(0, 90 * 24, 1))

    quarter = history(engine, HistoryRange.D90, at(90 * 24))

    assert quarter.resolution == "raw"
    assert quarter.step_seconds == 2 * 3600
    assert len(quarter.points) == 90 * 12


def test_raw_readings_go_at_the_hourly_retention_and_days_at_the_daily_one(
    engine: Engine, settings: Settings
) -> None:
    read_hourly(engine, range(48))
    run_maintenance(engine, settings, at(48))
    assert (count(engine, DriveSample), count(engine, DriveDaily)) == (48, 2)

    # 90 days (the hourly retention) after the first day's end: its readings go, the days stay.
    run_maintenance(engine, settings, at(24) + timedelta(days=settings.hourly_retention_days))
    assert (count(engine, DriveSample), count(engine, DriveDaily)) == (24, 2)

    run_maintenance(
        engine, settings, START + timedelta(days=settings.daily_retention_days, hours=1)
    )
    assert count(engine, DriveDaily) == 1
