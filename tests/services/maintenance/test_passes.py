"""The maintenance pass as the hub's scheduler and the `homelab-cmd maintenance` command run it."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homelab_cmd.cli import main
from homelab_cmd.config import Settings, get_settings
from homelab_cmd.db.models import AuditEvent, FilesystemHourly
from homelab_cmd.services import audit
from homelab_cmd.services.maintenance.passes import run_maintenance
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


def _audit(engine: Engine, *ages_days: int) -> None:
    with Session(engine) as session:
        for age in ages_days:
            at = NOW - timedelta(days=age)
            audit.record(session, "auth.sign_in_failed", "anonymous", at, target=f"guess-{age}")
        session.commit()


def _audit_ages(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        instants = conn.scalars(select(AuditEvent.at).order_by(AuditEvent.at))
        return [(NOW - at).days for at in instants]


def test_the_pass_deletes_audit_events_older_than_their_retention(
    engine: Engine, settings: Settings
) -> None:
    _audit(engine, 400, 366, 364, 10)

    report = run_maintenance(engine, settings, NOW)

    assert _audit_ages(engine) == [364, 10]
    assert report.pruned["audit_event"] == 2
    assert "pruned from audit_event: 2 rows" in report.lines()


def test_the_audit_retention_is_a_setting(engine: Engine, settings: Settings) -> None:
    _audit(engine, 40, 20)

    run_maintenance(engine, settings.model_copy(update={"audit_retention_days": 30}), NOW)

    assert _audit_ages(engine) == [20]


def test_two_hubs_pruning_the_audit_log_at_once_delete_each_event_once(
    engine: Engine, settings: Settings
) -> None:
    _audit(engine, *range(366, 466))
    _audit(engine, 1)

    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda _: run_maintenance(engine, settings, NOW), range(2)))

    assert _audit_ages(engine) == [1]
    assert sum(r.pruned["audit_event"] for r in reports) == 100
