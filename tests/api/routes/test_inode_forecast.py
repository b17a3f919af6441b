"""Inodes: kept where the agent reports them, rolled up, and forecast with the space model."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from homelab_cmd.config import Settings
from homelab_cmd.db.models import FilesystemHourly, FilesystemSample
from homelab_cmd.db.tables import table_of
from homelab_cmd.services.ingest.store import INODE_SAMPLE_SECONDS
from homelab_cmd.services.maintenance.passes import run_maintenance
from tests.factories import GIB, filesystem_payload, heartbeat_payload, store_heartbeats

SERVER = "/api/v1/servers/nas-1"
INODES = 6_553_600  # ext4's one inode per 16 KiB of a 100 GiB disk
STEP = timedelta(minutes=5)


def spool(at: datetime, now: datetime) -> dict[str, object]:
    """A mail spool: space grows 0.1 GiB a day (years left), files 100,000 a day."""
    days = (at - now).total_seconds() / 86400
    used = int((30 + 0.1 * days) * GIB)
    return filesystem_payload(
        mount_point="/var/spool",
        device="/dev/sdb1",
        total_bytes=100 * GIB,
        used_bytes=used,
        available_bytes=95 * GIB - used,
        inodes_total=INODES,
        inodes_used=int(5_000_000 + 100_000 * days),
    )


def four_days_of_heartbeats(engine: Engine, now: datetime) -> int:
    instants = [now - i * STEP for i in range(4 * 24 * 12 - 1, -1, -1)]
    store_heartbeats(
        engine, [heartbeat_payload(timestamp=at, filesystems=[spool(at, now)]) for at in instants]
    )
    return len(instants)


def test_inodes_that_fill_before_the_space_get_the_nearer_date(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    four_days_of_heartbeats(engine, now)

    run_maintenance(engine, settings, now)
    (fs,) = client.get(SERVER).json()["filesystems"]

    # (6,553,600 - 5,000,000) / 100,000 a day: 15.5 days, confident after four days of a line.
    assert fs["inodes_growth_per_day"] == pytest.approx(100_000, rel=0.01)
    assert fs["inodes_days_until_full"] == pytest.approx(15.5, abs=0.5)
    assert fs["inodes_confident"] is True
    assert fs["inodes_full_at_earliest"] <= fs["inodes_full_at"] <= fs["inodes_full_at_latest"]
    assert fs["inodes_forecast_reason"] is None
    # Space: 65 GiB free at 0.1 GiB a day, 650 days; the inodes are the nearer risk.
    assert fs["days_until_full"] == pytest.approx(650, rel=0.02)
    assert fs["inodes_full_at"] < fs["full_at"]


def test_raw_samples_keep_inodes_once_every_ten_minutes_and_the_tiers_roll_them_up(
    engine: Engine, settings: Settings
) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    beats = four_days_of_heartbeats(engine, now)

    run_maintenance(engine, settings, now)

    with engine.connect() as conn:
        kept = conn.execute(
            select(func.count()).where(FilesystemSample.inodes_used.is_not(None))
        ).scalar_one()
        hourly = table_of(FilesystemHourly)
        hour = conn.execute(select(hourly).order_by(hourly.c.bucket_at.desc()).limit(1)).one()
    assert kept == beats * STEP.total_seconds() // INODE_SAMPLE_SECONDS
    # The last complete hour: inodes used rise 100,000 a day.
    assert hour.inodes_total_max == INODES
    # Six kept samples, 50 minutes apart from first to last.
    assert hour.inodes_used_max - hour.inodes_used_min == pytest.approx(100_000 / 24 * 5 / 6, abs=2)
    assert hour.inodes_used_min < hour.inodes_used_avg < hour.inodes_used_max


@pytest.mark.parametrize(
    ("inodes", "why"),
    [
        ({}, "an agent that reports no inodes"),
        ({"inodes_total": 0, "inodes_used": 0}, "btrfs: no inode limit"),
        ({"inodes_total": INODES}, "a total without a used figure"),
    ],
)
def test_filesystems_without_inode_figures_keep_none_and_get_no_inode_forecast(
    client: TestClient, engine: Engine, settings: Settings, inodes: dict[str, int], why: str
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    beats = []
    for i in range(48 * 4 - 1, -1, -1):
        at = now - i * timedelta(minutes=15)
        fs = filesystem_payload(mount_point="/data", **inodes)
        beats.append(heartbeat_payload(timestamp=at, filesystems=[fs]))
    store_heartbeats(engine, beats)

    run_maintenance(engine, settings, now)

    with engine.connect() as conn:
        kept = conn.execute(
            select(func.count()).where(FilesystemSample.inodes_total.is_not(None))
        ).scalar_one()
    (fs,) = client.get(SERVER).json()["filesystems"]
    assert kept == 0, why
    assert fs["forecast_reason"] == "not growing", why
    assert (fs["inodes_full_at"], fs["inodes_forecast_reason"], fs["inodes_confident"]) == (
        None,
        None,
        False,
    ), why
