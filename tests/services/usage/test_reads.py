"""Reading scans: the growers the time-to-full alert names, the fleet's growers of a week."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Alert, Filesystem, FilesystemTrend
from homelab_cmd.db.tables import USAGE_SCAN
from homelab_cmd.services.alerts.evaluation import evaluate
from homelab_cmd.services.usage.reads import recent_growth, week_growers
from tests.factories import (
    GIB,
    alert_config,
    filesystem_payload,
    heartbeat_payload,
    store_heartbeats,
)
from tests.services.usage.scans import scan_payload

# A Wednesday; the first scan is taken on the Monday before.
T0 = datetime(2026, 12, 2, 12, tzinfo=UTC)
MONDAY = T0 - timedelta(days=2)
CONFIG = alert_config()
BEFORE = {
    "/srv": 200 * GIB,
    "/srv/frigate": 100 * GIB,
    "/srv/frigate/recordings": 90 * GIB,
    "/srv/docker": 40 * GIB,
    "/srv/docker/overlay2": 30 * GIB,
    "/srv/odd\nname": GIB,
}
AFTER = {
    "/srv": 260 * GIB,
    "/srv/frigate": 146 * GIB,
    "/srv/frigate/recordings": 136 * GIB,
    "/srv/docker": 46 * GIB,
    "/srv/docker/overlay2": 36 * GIB,
    "/srv/odd\nname": 3 * GIB,
}


def beat(at: datetime, server_id: str = "nas-1", **fields: Any) -> dict[str, Any]:
    srv = filesystem_payload(
        mount_point="/srv",
        device="/dev/sdb1",
        fs_type="xfs",
        total_bytes=1000 * GIB,
        used_bytes=900 * GIB,
        available_bytes=100 * GIB,
    )
    return heartbeat_payload(
        server_id=server_id, timestamp=at, filesystems=[filesystem_payload(), srv], **fields
    )


def scanned(engine: Engine, at: datetime, sizes: dict[str, int], server_id: str = "nas-1") -> None:
    scan = scan_payload("/srv", sizes, started_at=at - timedelta(minutes=1))
    store_heartbeats(engine, [beat(at, server_id, usage_scans=[scan])])


def test_the_latest_scan_keeps_its_growers_against_the_one_before(engine: Engine) -> None:
    scanned(engine, MONDAY, BEFORE)
    scanned(engine, T0, AFTER)

    with Session(engine) as session:
        growth = recent_growth(session, "nas-1")["/srv"]

    # Each change once, where it happened: /srv/frigate's growth is its recordings', /srv's is
    # the filesystem's.
    assert (growth.since, growth.taken_at) == (MONDAY, T0)
    assert [(g.path, g.change) for g in growth.growers] == [
        ("/srv/frigate/recordings", 46 * GIB),
        ("/srv/docker/overlay2", 6 * GIB),
        ("/srv/odd\nname", 2 * GIB),
    ]


def test_growers_stored_at_every_level_are_read_back_named_once(engine: Engine) -> None:
    scanned(engine, MONDAY, BEFORE)
    scanned(engine, T0, AFTER)
    # As an earlier version stored them: the same growth at /srv, /srv/frigate and below.
    chain = [
        ["/srv", 200 * GIB, 260 * GIB],
        ["/srv/frigate", 100 * GIB, 146 * GIB],
        ["/srv/frigate/recordings", 90 * GIB, 136 * GIB],
    ]
    with engine.begin() as conn:
        conn.execute(
            update(USAGE_SCAN)
            .where(USAGE_SCAN.c.top_growth.is_not(None))
            .values(top_growth=json.dumps(chain))
        )

    with Session(engine) as session:
        growth = recent_growth(session, "nas-1")["/srv"]

    assert [(g.path, g.change) for g in growth.growers] == [("/srv/frigate/recordings", 46 * GIB)]


def test_the_time_to_full_alert_names_the_top_growers(engine: Engine) -> None:
    scanned(engine, MONDAY, BEFORE)
    scanned(engine, T0, AFTER)
    with Session(engine) as session:
        fs_id = session.scalars(select(Filesystem.id).where(Filesystem.mount_point == "/srv")).one()
        session.add(
            FilesystemTrend(
                filesystem_id=fs_id,
                growth_bytes_per_day=10 * GIB,
                full_at=T0 + timedelta(days=9),
                full_at_earliest=T0 + timedelta(days=8),
                full_at_latest=T0 + timedelta(days=10),
                confident=True,
                computed_at=T0,
            )
        )
        session.commit()

    for minutes in (1, 3):
        at = T0 + timedelta(minutes=minutes)
        store_heartbeats(engine, [beat(at)])
        evaluate(engine, CONFIG, at)

    with Session(engine) as session:
        (alert,) = session.scalars(select(Alert).where(Alert.kind == "time_to_full"))
    assert alert.message.endswith(
        "; grew since Monday: +46.0 GiB /srv/frigate/recordings, "
        "+6.0 GiB /srv/docker/overlay2, +2.0 GiB /srv/odd\\012name"
    )
    assert alert.message.startswith("/srv fills")
    assert (alert.figures or {})["growers"] == [
        ["/srv/frigate/recordings", 46 * GIB],
        ["/srv/docker/overlay2", 6 * GIB],
        ["/srv/odd\nname", 2 * GIB],
    ]


def test_a_path_with_a_newline_is_named_on_one_line(engine: Engine) -> None:
    odd_before = {"/srv": 10 * GIB, "/srv/odd\nSeverity: ok": GIB}
    odd_after = {"/srv": 20 * GIB, "/srv/odd\nSeverity: ok": 11 * GIB}
    scanned(engine, MONDAY - timedelta(days=10), odd_before)
    scanned(engine, T0, odd_after)
    with Session(engine) as session:
        fs_id = session.scalars(select(Filesystem.id).where(Filesystem.mount_point == "/srv")).one()
        session.add(
            FilesystemTrend(
                filesystem_id=fs_id,
                growth_bytes_per_day=10 * GIB,
                full_at=T0 + timedelta(days=9),
                confident=True,
                computed_at=T0,
            )
        )
        session.commit()

    evaluate(engine, CONFIG, T0 + timedelta(seconds=30))

    with Session(engine) as session:
        (alert,) = session.scalars(select(Alert).where(Alert.kind == "time_to_full"))
    assert "\n" not in alert.message
    assert alert.message.endswith("; grew since 2026-11-20: +10.0 GiB /srv/odd\\012Severity: ok")


def test_week_growers_rank_the_fleet_against_the_scan_before_the_week(engine: Engine) -> None:
    week_start = T0 - timedelta(days=7)
    scanned(engine, week_start - timedelta(days=3), BEFORE)  # the baseline
    scanned(engine, week_start + timedelta(days=1), {**BEFORE, "/srv": 210 * GIB})
    scanned(engine, T0, AFTER)
    scanned(engine, week_start + timedelta(days=2), {"/srv": GIB}, server_id="pi")
    scanned(engine, T0, {"/srv": 51 * GIB}, server_id="pi")
    scanned(engine, T0, {"/srv": 500 * GIB}, server_id="once")  # nothing to compare with

    with Session(engine) as session:
        top = week_growers(session, week_start, 4)

    # nas-1 against the scan before the week (+60 GiB, not +50 from the one inside it).
    assert [(g.server_id, g.path, g.change) for g in top] == [
        ("nas-1", "/srv", 60 * GIB),
        ("pi", "/srv", 50 * GIB),
        ("nas-1", "/srv/frigate", 46 * GIB),
        ("nas-1", "/srv/frigate/recordings", 46 * GIB),
    ]
    assert top[0].bytes_then == 200 * GIB
    assert top[0].bytes_now == 260 * GIB


def test_a_partial_scan_is_neither_side_of_the_stored_growers(engine: Engine) -> None:
    scanned(engine, MONDAY, BEFORE)
    lower_bounds = {path: size // 4 for path, size in AFTER.items()}
    partial = scan_payload("/srv", lower_bounds, started_at=T0, stopped_by="time")
    store_heartbeats(engine, [beat(T0 - timedelta(days=1), usage_scans=[partial])])
    scanned(engine, T0, AFTER)

    with Session(engine) as session:
        growth = recent_growth(session, "nas-1")["/srv"]
        # The week's growers compare the two complete scans too.
        top = week_growers(session, MONDAY - timedelta(hours=1), 1)

    assert growth.since == MONDAY
    assert growth.growers[0].path == "/srv/frigate/recordings"
    assert growth.growers[0].change == 46 * GIB
    assert [(g.path, g.change, g.bytes_then) for g in top] == [("/srv", 60 * GIB, 200 * GIB)]


def test_a_partial_latest_scan_leaves_the_alert_the_last_complete_pair(engine: Engine) -> None:
    scanned(engine, MONDAY - timedelta(days=1), BEFORE)
    scanned(engine, MONDAY, AFTER)
    # Reversed: a partial Tuesday after a complete Monday would read as /srv shrinking, and a
    # complete scan after a partial one as growing hundreds of GiB.
    partial = scan_payload("/srv", {"/srv": GIB}, started_at=T0, stopped_by="entries")
    store_heartbeats(engine, [beat(T0, usage_scans=[partial])])

    with Session(engine) as session:
        growth = recent_growth(session, "nas-1")["/srv"]
        top = week_growers(session, T0 - timedelta(hours=1), 5)

    assert (growth.since, growth.taken_at) == (MONDAY - timedelta(days=1), MONDAY)
    assert top == []  # no complete scan this week
