"""The maintenance pass as the hub's scheduler and the `homelab-cmd maintenance` command run it."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from homelab_cmd.cli import main
from homelab_cmd.config import Settings, get_settings
from homelab_cmd.db.models import FilesystemHourly
from homelab_cmd.services.maintenance.scheduler import MaintenanceScheduler
from tests.factories import heartbeat_payload, store_heartbeats

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def hourly_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(FilesystemHourly)).scalar_one())


def test_scheduler_pass_uses_its_clock(engine: Engine, settings: Settings) -> None:
    store_heartbeats(engine, [heartbeat_payload(timestamp=NOW - timedelta(minutes=90))])
    scheduler = MaintenanceScheduler(engine, settings, clock=lambda: NOW)

    scheduler.run_once()

    assert hourly_rows(engine) == 2  # "/" and "/data"


def test_interval_zero_starts_no_thread(engine: Engine, settings: Settings) -> None:
    scheduler = MaintenanceScheduler(engine, settings)

    scheduler.start()

    assert scheduler._thread is None
    scheduler.stop()


def test_maintenance_command_runs_once_and_reports(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    recent = datetime.now(UTC) - timedelta(hours=2)
    store_heartbeats(engine, [heartbeat_payload(timestamp=recent)])
    monkeypatch.setenv("HOMELAB_CMD_DATABASE_URL", db_url)
    get_settings.cache_clear()
    try:
        assert main(["maintenance"]) == 0
    finally:
        get_settings.cache_clear()

    out = capsys.readouterr().out
    assert "hours rolled up: 1" in out
    assert "pruned from filesystem_sample: 0 rows" in out
    assert hourly_rows(engine) == 2
