"""Drives and pools through the ingest path: baselines, sleep, replays, degraded time, scrubs."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import DriveSample
from homelab_cmd.schemas.drive import DriveRead, PoolRead
from homelab_cmd.services.drives.reads import server_drives, server_pools
from tests.factories import drive_payload, heartbeat_payload, pool_payload, store_heartbeats

START = datetime(2026, 11, 1, tzinfo=UTC)
SCRUB_AGE = timedelta(days=35)


def at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def beat(hours: float, **fields: object) -> dict[str, object]:
    return heartbeat_payload(timestamp=at(hours), **fields)


def drive_now(engine: Engine) -> DriveRead:
    with Session(engine) as session:
        (drive,) = server_drives(session, "nas-1")
        return drive


def pools_at(engine: Engine, hours: float) -> list[PoolRead]:
    with Session(engine) as session:
        return server_pools(session, "nas-1", at(hours), SCRUB_AGE)


def test_a_stable_count_under_its_level_stays_passed_and_a_rise_warns(engine: Engine) -> None:
    store_heartbeats(engine, [beat(h, drives=[drive_payload(at(h), {5: 8})]) for h in (0, 1)])
    assert drive_now(engine).health == "passed"

    store_heartbeats(engine, [beat(2, drives=[drive_payload(at(2), {5: 12})])])

    drive = drive_now(engine)
    assert (drive.health, drive.reasons) == (
        "warning",
        ["reallocated sectors (5) rose from 8 to 12 since first seen"],
    )


def test_a_sleeping_drive_keeps_its_last_reading_and_reads_asleep(engine: Engine) -> None:
    store_heartbeats(engine, [beat(0, drives=[drive_payload(at(0))])])
    asleep = drive_payload(
        at(0), checked_at=at(1).isoformat(), state="asleep", asleep_since=at(1).isoformat()
    )

    store_heartbeats(engine, [beat(1, drives=[asleep])])

    drive = drive_now(engine)
    assert (drive.health, drive.state, drive.temperature_celsius) == ("asleep", "asleep", 34)
    assert drive.read_at == at(0)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(DriveSample)).scalar_one() == 1


def test_a_replayed_older_reading_changes_nothing(engine: Engine) -> None:
    store_heartbeats(engine, [beat(2, drives=[drive_payload(at(2), {5: 12})])])

    store_heartbeats(engine, [beat(1, drives=[drive_payload(at(1), {5: 40})])])

    assert drive_now(engine).attributes["ata_5"] == 12


def test_a_drive_the_next_pass_does_not_list_is_gone(engine: Engine) -> None:
    store_heartbeats(engine, [beat(0, drives=[drive_payload(at(0))]), beat(1, drives=[])])

    with Session(engine) as session:
        assert server_drives(session, "nas-1") == []


def test_a_degraded_pool_warns_at_once_and_is_critical_after_15_minutes(engine: Engine) -> None:
    degraded = pool_payload(state="DEGRADED", degraded=True)
    store_heartbeats(engine, [beat(0, pools=[degraded]), beat(0.1, pools=[degraded])])

    soon, later = pools_at(engine, 0.1)[0], pools_at(engine, 0.3)[0]

    assert soon.health == "warning"
    assert soon.degraded_since == at(0)
    assert later.health == "critical"
    assert later.reasons[0].startswith("degraded since 2026-11-01 00:00 UTC")


def test_new_checksum_errors_warn_and_a_zpool_clear_lowers_the_baseline(engine: Engine) -> None:
    def pool(errors: int) -> dict[str, object]:
        leaf = {"name": "sda1", "state": "ONLINE", "kind": "disk", "checksum_errors": errors}
        return pool_payload(devices=[{"name": "tank", "kind": "root", "children": [leaf]}])

    store_heartbeats(engine, [beat(0, pools=[pool(2)]), beat(1, pools=[pool(2)])])
    assert pools_at(engine, 1)[0].health == "ok"  # an old count, first seen: no alert
    store_heartbeats(engine, [beat(2, pools=[pool(5)])])
    assert pools_at(engine, 2)[0].reasons == ["checksum errors on tank/sda1 rose from 2 to 5"]
    store_heartbeats(engine, [beat(3, pools=[pool(0)]), beat(4, pools=[pool(1)])])
    assert pools_at(engine, 4)[0].reasons == ["checksum errors on tank/sda1 rose from 0 to 1"]


def test_scrubs_overdue_and_with_errors_are_judged(engine: Engine) -> None:
    old = {"function": "scrub", "state": "finished", "ended_at": at(0).isoformat(), "errors": 0}
    bad = {**old, "ended_at": at(1).isoformat(), "errors": 4}
    store_heartbeats(engine, [beat(1, pools=[pool_payload(scan=old)])])

    assert pools_at(engine, 24 * 34)[0].health == "ok"
    overdue = pools_at(engine, 24 * 36)[0]
    assert (overdue.health, overdue.reasons) == (
        "warning",
        ["last scrub 36 days ago (2026-11-01; due every 35 days)"],
    )
    store_heartbeats(engine, [beat(2, pools=[pool_payload(scan=bad)])])
    assert pools_at(engine, 3)[0].reasons == ["the last scrub found 4 errors"]
