"""Hourly and daily rollups: values at bucket boundaries, idempotency, late data, two runners."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, select

from homelab_cmd.config import Settings
from homelab_cmd.db.models import (
    Filesystem,
    FilesystemDaily,
    FilesystemHourly,
    FilesystemSample,
    RollupQueue,
    ServerMetricDaily,
    ServerMetricHourly,
)
from homelab_cmd.db.tables import table_of
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest.store import HeartbeatStore
from homelab_cmd.services.maintenance.passes import prune, run_maintenance
from homelab_cmd.services.tiers.rollups import HOURS_PER_PASS, claim_hours
from tests.factories import GIB, filesystem_payload, heartbeat_payload, store_heartbeats

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def beat(at: datetime, used_gib: int, cpu: float = 10.0, mount: str = "/data") -> dict[str, Any]:
    fs = filesystem_payload(
        mount_point=mount,
        used_bytes=used_gib * GIB,
        available_bytes=(200 - used_gib) * GIB,
        total_bytes=200 * GIB,
    )
    metrics = heartbeat_payload()["metrics"] | {"cpu_percent": cpu, "network_rx_bytes": used_gib}
    return heartbeat_payload(timestamp=at, filesystems=[fs], metrics=metrics)


def rows(engine: Engine, model: Any) -> list[dict[str, Any]]:
    table: Table = table_of(model)
    with engine.connect() as conn:
        result = conn.execute(select(table).order_by(*table.primary_key.columns))
        return [dict(r._mapping) for r in result]


def fs_hours(engine: Engine) -> dict[datetime, dict[str, Any]]:
    return {r["bucket_at"]: r for r in rows(engine, FilesystemHourly)}


def test_hour_keeps_min_avg_max_and_count(engine: Engine, settings: Settings) -> None:
    ten = NOW - 2 * HOUR
    store_heartbeats(
        engine,
        [
            beat(ten, 10, cpu=10.0),
            beat(ten + timedelta(minutes=20), 20, cpu=20.0),
            beat(ten + timedelta(minutes=59, seconds=59), 60, cpu=60.0),
            beat(ten + HOUR, 100, cpu=100.0),
        ],
    )

    run_maintenance(engine, settings, NOW)

    hours = fs_hours(engine)
    assert sorted(hours) == [ten, ten + HOUR]
    first = hours[ten]
    assert (first["sample_count"], first["used_bytes_min"], first["used_bytes_max"]) == (
        3,
        10 * GIB,
        60 * GIB,
    )
    assert first["used_bytes_avg"] == 30 * GIB
    assert first["total_bytes_max"] == 200 * GIB
    assert first["available_bytes_avg"] == 170 * GIB
    assert hours[ten + HOUR]["sample_count"] == 1
    server = {r["bucket_at"]: r for r in rows(engine, ServerMetricHourly)}
    assert server[ten]["cpu_percent_min"] == 10.0
    assert server[ten]["cpu_percent_max"] == 60.0
    assert abs(server[ten]["cpu_percent_avg"] - 30.0) < 1e-9
    assert server[ten]["network_rx_bytes_max"] == 60
    assert server[ten]["sample_count"] == 3


def test_day_merges_its_hours_weighted_by_sample_count(engine: Engine, settings: Settings) -> None:
    day = datetime(2026, 11, 19, tzinfo=UTC)
    store_heartbeats(
        engine,
        [
            beat(day - timedelta(seconds=1), 1),  # the previous day
            beat(day, 10, cpu=10.0),
            beat(day + timedelta(minutes=30), 20, cpu=20.0),
            beat(day + 5 * HOUR, 60, cpu=90.0),
            beat(day + timedelta(hours=23, minutes=59, seconds=59), 90, cpu=0.0),
            beat(day + timedelta(days=1), 2),  # the next day
        ],
    )

    run_maintenance(engine, settings, NOW)

    daily = {r["bucket_at"]: r for r in rows(engine, FilesystemDaily)}
    assert sorted(daily) == [day - timedelta(days=1), day, day + timedelta(days=1)]
    d = daily[day]
    assert d["sample_count"] == 4
    assert (d["used_bytes_min"], d["used_bytes_max"]) == (10 * GIB, 90 * GIB)
    assert d["used_bytes_avg"] == 45 * GIB  # (10 + 20 + 60 + 90) / 4, not the mean of 3 hours
    server = {r["bucket_at"]: r for r in rows(engine, ServerMetricDaily)}[day]
    assert abs(server["cpu_percent_avg"] - 30.0) < 1e-9
    assert (server["cpu_percent_min"], server["cpu_percent_max"]) == (0.0, 90.0)
    assert daily[day - timedelta(days=1)]["sample_count"] == 1


def test_current_hour_waits_until_it_is_complete(engine: Engine, settings: Settings) -> None:
    eleven = NOW - HOUR
    store_heartbeats(engine, [beat(eleven + timedelta(minutes=30), 10)])

    run_maintenance(engine, settings, eleven + timedelta(minutes=45))
    assert fs_hours(engine) == {}
    assert len(rows(engine, RollupQueue)) == 1

    run_maintenance(engine, settings, NOW)
    assert list(fs_hours(engine)) == [eleven]
    assert rows(engine, RollupQueue) == []


def test_running_twice_changes_nothing(engine: Engine, settings: Settings) -> None:
    start = NOW - 30 * HOUR
    store_heartbeats(engine, [beat(start + i * timedelta(minutes=20), i % 50) for i in range(90)])

    first = run_maintenance(engine, settings, NOW)
    tables = [FilesystemHourly, FilesystemDaily, ServerMetricHourly, ServerMetricDaily]
    before = [rows(engine, t) for t in tables]
    second = run_maintenance(engine, settings, NOW)

    assert len(first.rollups.hours) == 30
    assert len(first.rollups.days) == 2
    assert second.rollups.hours == []
    assert [rows(engine, t) for t in tables] == before


def test_late_heartbeat_updates_its_rolled_up_hour_and_day(
    engine: Engine, settings: Settings
) -> None:
    ten = NOW - 2 * HOUR
    store_heartbeats(engine, [beat(ten, 10), beat(ten + timedelta(minutes=10), 20)])
    run_maintenance(engine, settings, NOW)

    store_heartbeats(engine, [beat(ten + timedelta(minutes=50), 90)])  # replayed from a spool
    report = run_maintenance(engine, settings, NOW + HOUR)

    assert report.rollups.hours == [ten]
    hour = fs_hours(engine)[ten]
    assert (hour["sample_count"], hour["used_bytes_max"], hour["used_bytes_avg"]) == (
        3,
        90 * GIB,
        40 * GIB,
    )
    day = rows(engine, FilesystemDaily)[0]
    assert (day["sample_count"], day["used_bytes_max"]) == (3, 90 * GIB)


def test_a_replay_nine_days_late_is_merged_into_its_hours_and_days(
    engine: Engine, settings: Settings
) -> None:
    # 9 days ago at 03:00 the agent sent one heartbeat; it was rolled up, then raw retention
    # (7 days) pruned it. Now the agent replays its spool: the rest of that hour and the next.
    h = NOW.replace(hour=3) - timedelta(days=9)
    store_heartbeats(engine, [beat(h, 10, cpu=10.0)])
    run_maintenance(engine, settings, h + 2 * HOUR)
    run_maintenance(engine, settings, NOW)
    assert rows(engine, FilesystemSample) == []

    replay = [beat(h + timedelta(minutes=30), 40, cpu=40.0), beat(h + HOUR, 70, cpu=70.0)]
    store_heartbeats(engine, replay)
    report = run_maintenance(engine, settings, NOW)

    assert report.rollups.late_hours == 2
    hours = fs_hours(engine)
    assert sorted(hours) == [h, h + HOUR]
    merged = hours[h]
    assert (merged["sample_count"], merged["used_bytes_min"], merged["used_bytes_max"]) == (
        2,
        10 * GIB,
        40 * GIB,
    )
    assert merged["used_bytes_avg"] == 25 * GIB
    assert hours[h + HOUR]["sample_count"] == 1
    cpu = {r["bucket_at"]: r for r in rows(engine, ServerMetricHourly)}[h]
    assert (cpu["sample_count"], cpu["cpu_percent_min"], cpu["cpu_percent_max"]) == (2, 10.0, 40.0)
    assert abs(cpu["cpu_percent_avg"] - 25.0) < 1e-9
    (day,) = rows(engine, FilesystemDaily)
    assert (day["bucket_at"], day["sample_count"]) == (h.replace(hour=0), 3)
    assert (day["used_bytes_min"], day["used_bytes_max"]) == (10 * GIB, 70 * GIB)
    assert rows(engine, FilesystemSample) == []
    assert "late hours past raw retention, merged: 2" in report.lines()

    # Merged rows are gone from raw: running again (or the same replay arriving twice before the
    # pass) adds nothing.
    before = [rows(engine, t) for t in (FilesystemHourly, FilesystemDaily, ServerMetricDaily)]
    again = run_maintenance(engine, settings, NOW)
    assert again.rollups.late_hours == 0
    after = [rows(engine, t) for t in (FilesystemHourly, FilesystemDaily, ServerMetricDaily)]
    assert after == before


def test_a_replay_past_hourly_retention_is_merged_into_its_day(
    engine: Engine, settings: Settings
) -> None:
    d = (NOW - timedelta(days=100)).replace(hour=0)
    store_heartbeats(engine, [beat(d + HOUR, 10)])
    run_maintenance(engine, settings, d + 3 * HOUR)
    run_maintenance(engine, settings, NOW)
    assert rows(engine, FilesystemHourly) == []

    store_heartbeats(engine, [beat(d + 5 * HOUR, 30)])
    report = run_maintenance(engine, settings, NOW)

    assert report.rollups.late_hours == 1
    (day,) = rows(engine, FilesystemDaily)
    assert (day["bucket_at"], day["sample_count"]) == (d, 2)
    assert (day["used_bytes_min"], day["used_bytes_avg"], day["used_bytes_max"]) == (
        10 * GIB,
        20 * GIB,
        30 * GIB,
    )
    assert rows(engine, FilesystemHourly) == []
    assert rows(engine, FilesystemSample) == []


def test_a_heartbeat_stored_after_the_rollups_is_not_pruned_before_its_own(
    engine: Engine, settings: Settings
) -> None:
    late = NOW - timedelta(days=9)
    store_heartbeats(engine, [beat(late, 10)])
    with engine.begin() as conn:
        pruned = prune(conn, settings, NOW)  # as if it arrived between the rollups and the prune

    assert pruned["filesystem_sample"] == 0
    run_maintenance(engine, settings, NOW)
    assert [h["sample_count"] for h in fs_hours(engine).values()] == [1]


def test_disappeared_filesystem_keeps_its_series(engine: Engine, settings: Settings) -> None:
    ten = NOW - 2 * HOUR
    store_heartbeats(engine, [beat(ten, 10, mount="/old"), beat(ten + HOUR, 20, mount="/new")])

    run_maintenance(engine, settings, NOW)

    with engine.connect() as conn:
        mounts = dict(conn.execute(select(Filesystem.id, Filesystem.mount_point)).all())
    by_mount = {mounts[r["filesystem_id"]]: r["bucket_at"] for r in rows(engine, FilesystemHourly)}
    assert by_mount == {"/old": ten, "/new": ten + HOUR}


def test_two_runners_at_once_give_the_result_of_one(engine: Engine, settings: Settings) -> None:
    start = NOW - 20 * HOUR
    store_heartbeats(engine, [beat(start + i * timedelta(minutes=15), i % 70) for i in range(80)])
    errors: list[BaseException] = []

    def run() -> None:
        try:
            run_maintenance(engine, settings, NOW)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    hours = fs_hours(engine)
    assert len(hours) == 20
    assert sum(h["sample_count"] for h in hours.values()) == 80
    assert sum(d["sample_count"] for d in rows(engine, FilesystemDaily)) == 80


def test_a_sample_committed_while_its_hour_is_rolled_up_is_counted(
    engine: Engine, settings: Settings
) -> None:
    h = NOW - 3 * HOUR
    store_heartbeats(engine, [beat(h + timedelta(minutes=1), 10)])
    store = HeartbeatStore()
    writer = engine.connect()
    writer_txn = writer.begin()
    late = HeartbeatRequest.model_validate(beat(h + timedelta(minutes=59), 20))
    store.store(writer, late, h + timedelta(minutes=59))
    store.queue_rollups(writer, {h + timedelta(minutes=59)})

    # The rollup claims the hour while the writer has not committed yet: it must wait for the
    # commit and then count both samples, not roll the hour without the second one for good.
    rolling = threading.Thread(target=run_maintenance, args=(engine, settings, NOW))
    rolling.start()
    rolling.join(timeout=0.5)
    writer_txn.commit()
    writer.close()
    rolling.join(timeout=30)
    run_maintenance(engine, settings, NOW)

    (hour,) = rows(engine, FilesystemHourly)
    assert hour["sample_count"] == 2
    assert hour["used_bytes_max"] == 20 * GIB


def test_bytes_near_the_64_bit_limit_roll_up_without_overflow(
    engine: Engine, settings: Settings
) -> None:
    huge = 2**62
    payloads = []
    for hour in range(3):
        for minute in (0, 30):
            fs = filesystem_payload(
                mount_point="/vault", used_bytes=huge, available_bytes=huge, total_bytes=2**63 - 1
            )
            at = NOW - timedelta(hours=26 - hour, minutes=-minute)
            payloads.append(heartbeat_payload(timestamp=at, filesystems=[fs]))
    store_heartbeats(engine, payloads)

    run_maintenance(engine, settings, NOW)

    daily = rows(engine, FilesystemDaily)
    assert daily
    assert all(abs(d["used_bytes_avg"] - huge) <= 2**12 for d in daily)


def test_a_backlog_is_rolled_up_in_short_passes_and_completely(
    engine: Engine, settings: Settings
) -> None:
    hours = 30
    store_heartbeats(engine, [beat(NOW - (hours - i) * HOUR, 10 + i) for i in range(hours)])
    with engine.connect() as conn:
        first_pass = claim_hours(conn, NOW)
        conn.rollback()  # only looking: the maintenance run below claims for real

    report = run_maintenance(engine, settings, NOW)

    assert len(first_pass) == HOURS_PER_PASS < hours
    assert first_pass == sorted(first_pass)
    assert len(report.rollups.hours) == hours
    assert len(rows(engine, FilesystemHourly)) == hours
    assert rows(engine, RollupQueue) == []
