"""The evaluation pass on a real database: alert states and the messages it queues."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from homelab_cmd.db.models import (
    Alert,
    Filesystem,
    FilesystemTrend,
    NotificationOutbox,
    Server,
    Silence,
)
from homelab_cmd.domain.alerts import AlertKind, AlertState, Severity
from homelab_cmd.services.alerts.evaluation import (
    evaluate,
    prune_history,
    server_batches,
)
from homelab_cmd.services.alerts.rules import put_rule
from homelab_cmd.services.notify.channels import Target
from tests.factories import (
    GIB,
    alert_config,
    filesystem_payload,
    heartbeat_payload,
    store_heartbeats,
)

T0 = datetime(2026, 11, 30, 12, tzinfo=UTC)
CONFIG = alert_config(public_url="https://hub.home.lan")


def beat(at: datetime, used_gib: float = 40, **fs: Any) -> dict[str, Any]:
    data = filesystem_payload(
        mount_point="/data",
        total_bytes=100 * GIB,
        used_bytes=int(used_gib * GIB),
        available_bytes=int((100 - used_gib) * GIB),
        read_only=False,
        **fs,
    )
    return heartbeat_payload(timestamp=at, filesystems=[filesystem_payload(), data])


def run(engine: Engine, at: datetime, *beats: dict[str, Any]) -> None:
    if beats:
        store_heartbeats(engine, list(beats))
    # The ingest path stamps last_seen_at with the heartbeat's own time here.
    evaluate(engine, CONFIG, at)


def alerts(engine: Engine) -> list[Alert]:
    with Session(engine) as session:
        return list(session.scalars(select(Alert).order_by(Alert.id)))


def outbox(engine: Engine) -> list[NotificationOutbox]:
    with Session(engine) as session:
        return list(session.scalars(select(NotificationOutbox).order_by(NotificationOutbox.id)))


def test_crossing_the_warning_level_holds_then_fires_once_and_resolves_below_clear(
    engine: Engine,
) -> None:
    run(engine, T0, beat(T0, used_gib=86))
    assert [(a.kind, a.state) for a in alerts(engine)] == [("disk_used", "pending")]
    assert outbox(engine) == []

    t1 = T0 + timedelta(seconds=61)
    run(engine, t1, beat(t1, used_gib=87))
    (alert,) = alerts(engine)
    assert (alert.state, alert.severity, alert.mount_point) == ("firing", "warning", "/data")
    (message,) = outbox(engine)
    assert message.event == "firing"
    assert "/data is 87.0 % full" in message.body
    assert "https://hub.home.lan/servers/nas-1" in message.body

    for minute in range(2, 6):  # above the level, within the repeat interval: nothing more
        at = T0 + timedelta(minutes=minute)
        run(engine, at, beat(at, used_gib=84))
    assert len(outbox(engine)) == 1

    at = T0 + timedelta(minutes=7)
    run(engine, at, beat(at, used_gib=79))
    (alert,) = alerts(engine)
    assert (alert.state, alert.open_key) == ("resolved", None)
    assert [m.event for m in outbox(engine)] == ["firing", "resolved"]


def test_a_firing_alert_repeats_after_the_interval_unless_acknowledged(engine: Engine) -> None:
    run(engine, T0, beat(T0, used_gib=97))
    t1 = T0 + timedelta(seconds=61)
    run(engine, t1, beat(t1, used_gib=97))
    assert [(m.event, m.severity) for m in outbox(engine)] == [("firing", "critical")]
    t2 = t1 + timedelta(hours=4, seconds=1)
    run(engine, t2, beat(t2, used_gib=97))
    assert [m.event for m in outbox(engine)] == ["firing", "repeat"]
    with Session(engine) as session:
        session.execute(update(Alert).values(acknowledged_at=t2, acknowledged_by="me"))
        session.commit()
    t3 = t2 + timedelta(hours=5)
    run(engine, t3, beat(t3, used_gib=97))
    assert [m.event for m in outbox(engine)] == ["firing", "repeat"]


def test_a_flap_shorter_than_the_hold_sends_nothing_and_keeps_no_history(engine: Engine) -> None:
    run(engine, T0, beat(T0, used_gib=90))
    t1 = T0 + timedelta(seconds=30)
    run(engine, t1, beat(t1, used_gib=50))
    assert alerts(engine) == []
    assert outbox(engine) == []


def test_expected_full_holds_at_99_percent_while_the_floor_holds(engine: Engine) -> None:
    store_heartbeats(engine, [beat(T0)])
    with Session(engine) as session:
        put_rule(session, "nas-1", "/da*", {"mode": "expected_full", "warn_free_bytes": GIB // 2})
    for minute in range(3):
        at = T0 + timedelta(minutes=minute + 1)
        run(engine, at, beat(at, used_gib=99))
    assert alerts(engine) == []
    at = T0 + timedelta(minutes=5)
    run(engine, at, beat(at, used_gib=99.7))
    at = T0 + timedelta(minutes=7)
    run(engine, at, beat(at, used_gib=99.7))
    assert [(a.kind, a.state, a.severity) for a in alerts(engine)] == [
        ("disk_used", "firing", "warning")
    ]


def test_ignore_resolves_what_a_mount_had(engine: Engine) -> None:
    run(engine, T0, beat(T0, used_gib=90))
    t1 = T0 + timedelta(minutes=2)
    run(engine, t1, beat(t1, used_gib=90))
    with Session(engine) as session:
        put_rule(session, "nas-1", "/data", {"mode": "ignore"})
    t2 = T0 + timedelta(minutes=3)
    run(engine, t2, beat(t2, used_gib=99))
    assert [a.state for a in alerts(engine)] == ["resolved"]


def test_a_large_disk_is_held_to_the_free_bytes_floor_not_the_percent(engine: Engine) -> None:
    tib = 1024 * GIB

    def big(at: datetime, free: int) -> dict[str, Any]:
        fs = filesystem_payload(
            mount_point="/tank",
            total_bytes=20 * tib,
            used_bytes=20 * tib - free,
            available_bytes=free,
        )
        return heartbeat_payload(timestamp=at, filesystems=[fs])

    for minute in range(3):  # 95 % of 20 TiB: 1 TiB free, over the 100 GiB cap
        at = T0 + timedelta(minutes=minute)
        run(engine, at, big(at, tib))
    assert alerts(engine) == []
    for minute in range(3, 6):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, big(at, 50 * GIB))
    assert [(a.kind, a.severity, a.state) for a in alerts(engine)] == [
        ("disk_used", "warning", "firing")
    ]


def test_read_only_flip_fires_for_a_mount_seen_writable(engine: Engine) -> None:
    run(engine, T0, beat(T0))
    t1 = T0 + timedelta(seconds=30)
    run(engine, t1, _ro(t1))
    (alert,) = alerts(engine)
    assert (alert.kind, alert.state, alert.severity) == ("read_only", "firing", "critical")
    t2 = T0 + timedelta(seconds=60)
    run(engine, t2, beat(t2))
    assert [a.state for a in alerts(engine)] == ["resolved"]


def _ro(at: datetime) -> dict[str, Any]:
    payload = beat(at)
    payload["filesystems"][1]["read_only"] = True
    return payload


def test_a_mount_always_read_only_never_fires(engine: Engine) -> None:
    for second in (0, 30, 60):
        at = T0 + timedelta(seconds=second)
        run(engine, at, _ro(at))
    assert alerts(engine) == []


def test_a_mount_absent_from_two_heartbeats_in_a_row_has_vanished(engine: Engine) -> None:
    run(engine, T0, beat(T0))
    only_root = heartbeat_payload(filesystems=[filesystem_payload()])
    t1 = T0 + timedelta(seconds=30)
    run(engine, t1, {**only_root, "timestamp": t1.isoformat()})
    assert alerts(engine) == []
    t2 = T0 + timedelta(seconds=60)
    run(engine, t2, {**only_root, "timestamp": t2.isoformat()})
    (alert,) = alerts(engine)
    assert (alert.kind, alert.mount_point, alert.state) == ("vanished", "/data", "firing")
    t3 = T0 + timedelta(seconds=90)
    run(engine, t3, beat(t3))
    assert [a.state for a in alerts(engine)] == ["resolved"]


def test_an_offline_server_alerts_and_its_disk_alerts_stay_unknown(engine: Engine) -> None:
    run(engine, T0, beat(T0, used_gib=90))
    t1 = T0 + timedelta(minutes=2)
    run(engine, t1, beat(t1, used_gib=90))
    t2 = t1 + timedelta(minutes=10)
    run(engine, t2)
    by_kind = {a.kind: a for a in alerts(engine)}
    assert by_kind[AlertKind.SERVER_OFFLINE].state == "firing"
    assert (by_kind[AlertKind.DISK_USED].state, by_kind[AlertKind.DISK_USED].unknown) == (
        "firing",
        True,
    )
    assert [m.event for m in outbox(engine)] == ["firing", "firing"]
    t3 = t2 + timedelta(minutes=1)
    run(engine, t3, beat(t3, used_gib=90))
    by_kind = {a.kind: a for a in alerts(engine)}
    assert by_kind[AlertKind.SERVER_OFFLINE].state == "resolved"
    assert (by_kind[AlertKind.DISK_USED].state, by_kind[AlertKind.DISK_USED].unknown) == (
        "firing",
        False,
    )
    assert [m.event for m in outbox(engine)] == ["firing", "firing", "resolved"]


def test_unreachable_fires_after_its_own_hold(engine: Engine) -> None:
    def hung(at: datetime) -> dict[str, Any]:
        payload = beat(at, used_gib=90)
        payload["filesystems"][1].update(
            state="unreachable", used_bytes=0, available_bytes=0, total_bytes=0
        )
        return payload

    run(engine, T0, hung(T0))
    t1 = T0 + timedelta(minutes=2)
    run(engine, t1, hung(t1))
    assert [(a.kind, a.state) for a in alerts(engine)] == [("unreachable", "pending")]
    t2 = T0 + timedelta(minutes=5, seconds=1)
    run(engine, t2, hung(t2))
    assert [(a.kind, a.state) for a in alerts(engine)] == [("unreachable", "firing")]


def test_missing_expected_mount_alerts(engine: Engine) -> None:
    def missing(at: datetime) -> dict[str, Any]:
        payload = beat(at)
        payload["filesystems"][1].update(
            state="missing", used_bytes=0, available_bytes=0, total_bytes=0
        )
        return payload

    run(engine, T0, missing(T0))
    t1 = T0 + timedelta(minutes=2)
    run(engine, t1, missing(t1))
    assert [(a.kind, a.state, a.severity) for a in alerts(engine)] == [
        ("missing", "firing", "warning")
    ]


def test_time_to_full_only_from_a_confident_forecast(engine: Engine) -> None:
    run(engine, T0, beat(T0))
    with Session(engine) as session:
        fs_id = session.scalars(
            select(Filesystem.id).where(Filesystem.mount_point == "/data")
        ).one()
        session.add(
            FilesystemTrend(
                filesystem_id=fs_id,
                growth_bytes_per_day=GIB,
                full_at=T0 + timedelta(days=2),
                full_at_earliest=T0 + timedelta(days=1),
                full_at_latest=T0 + timedelta(days=20),
                confident=False,
                computed_at=T0,
            )
        )
        session.commit()
    for minute in (1, 3):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, beat(at))
    assert alerts(engine) == []
    with Session(engine) as session:
        session.execute(
            update(FilesystemTrend).values(confident=True, full_at_latest=T0 + timedelta(days=3))
        )
        session.commit()
    for minute in (4, 6):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, beat(at))
    (alert,) = alerts(engine)
    assert (alert.kind, alert.severity, alert.state) == ("time_to_full", "critical", "firing")
    assert "fills in about 2.0 days" in alert.message


def inode_beat(at: datetime) -> dict[str, Any]:
    return beat(at, inodes_total=1_000_000, inodes_used=700_000)


def test_inodes_time_to_full_fires_only_from_a_confident_inode_forecast(engine: Engine) -> None:
    run(engine, T0, inode_beat(T0))
    with Session(engine) as session:
        fs_id = session.scalars(
            select(Filesystem.id).where(Filesystem.mount_point == "/data")
        ).one()
        # Bytes: a fill date within days but not confident, so only the inodes may speak.
        session.add(
            FilesystemTrend(
                filesystem_id=fs_id,
                full_at=T0 + timedelta(days=1),
                confident=False,
                inodes_full_at=T0 + timedelta(days=2),
                inodes_full_at_earliest=T0 + timedelta(days=1),
                inodes_full_at_latest=T0 + timedelta(days=2, hours=12),
                inodes_confident=False,
                computed_at=T0,
            )
        )
        session.commit()
    for minute in (1, 3):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, inode_beat(at))
    assert alerts(engine) == []
    with Session(engine) as session:
        session.execute(update(FilesystemTrend).values(inodes_confident=True))
        session.commit()
    for minute in (4, 6):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, inode_beat(at))
    (alert,) = alerts(engine)
    assert (alert.kind, alert.severity, alert.state) == (
        "inodes_time_to_full",
        "critical",
        "firing",
    )
    assert alert.message == (
        "/data runs out of inodes in about 2.0 days (2026-12-02; between 2026-12-01 and "
        "2026-12-03), 300,000 of 1,000,000 inodes free"
    )
    (sent,) = outbox(engine)
    assert sent.title == "[CRITICAL] nas-1.home.lan /data: inodes time to full"
    assert "runs out of inodes" in sent.body


def test_inodes_time_to_full_follows_the_days_and_the_modes(engine: Engine) -> None:
    run(engine, T0, inode_beat(T0))
    with Session(engine) as session:
        fs_id = session.scalars(
            select(Filesystem.id).where(Filesystem.mount_point == "/data")
        ).one()
        session.add(
            FilesystemTrend(
                filesystem_id=fs_id,
                inodes_full_at=T0 + timedelta(days=20),
                inodes_confident=True,
                computed_at=T0,
            )
        )
        session.commit()
        # expected_full keeps time to full: a full backup volume must not run out of inodes.
        put_rule(session, "nas-1", "/data", {"mode": "expected_full", "warn_days": 21})
    for minute in (1, 3):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, inode_beat(at))
    assert [(a.kind, a.severity, a.state) for a in alerts(engine)] == [
        ("inodes_time_to_full", "warning", "firing")
    ]
    with Session(engine) as session:
        put_rule(session, "nas-1", "/data", {"mode": "expected_full", "warn_days": 14})
    at = T0 + timedelta(minutes=5)
    run(engine, at, inode_beat(at))  # 20 days left: past 14 days times 1.25, so it clears
    assert [a.state for a in alerts(engine)] == ["resolved"]
    with Session(engine) as session:
        session.execute(update(FilesystemTrend).values(inodes_full_at=T0 + timedelta(days=1)))
        put_rule(session, "nas-1", "/data", {"mode": "ignore"})
    for minute in (7, 9):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, inode_beat(at))
    assert [a.state for a in alerts(engine)] == ["resolved"]
    assert [m.event for m in outbox(engine)] == ["firing", "resolved"]


def test_a_silence_holds_messages_but_not_state(engine: Engine) -> None:
    store_heartbeats(engine, [beat(T0)])
    with Session(engine) as session:
        session.add(
            Silence(
                server_id="nas-1",
                mount_pattern="/d*",
                created_by="test",
                created_at=T0,
                ends_at=T0 + timedelta(hours=1),
            )
        )
        session.commit()
    for minute in (1, 3):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, beat(at, used_gib=90))
    assert [a.state for a in alerts(engine)] == ["firing"]
    assert outbox(engine) == []
    after = T0 + timedelta(hours=1, minutes=1)
    run(engine, after, beat(after, used_gib=90))
    assert [m.event for m in outbox(engine)] == ["firing"]


def test_channels_below_their_threshold_get_nothing(engine: Engine) -> None:
    with Session(engine) as session:
        put_rule(session, None, None, {"warn_percent": 70})
    run(engine, T0, beat(T0, used_gib=75))
    t1 = T0 + timedelta(minutes=2)
    critical_only = replace(CONFIG, env_targets=(Target("env:0", "x", Severity.CRITICAL),))
    evaluate(engine, critical_only, t1)
    assert [(a.severity, a.state) for a in alerts(engine)] == [("warning", "firing")]
    assert outbox(engine) == []


def test_resolved_history_is_pruned_after_its_window(engine: Engine) -> None:
    run(engine, T0, beat(T0, used_gib=90))
    t1 = T0 + timedelta(minutes=2)
    run(engine, t1, beat(t1, used_gib=90))
    t2 = T0 + timedelta(minutes=3)
    run(engine, t2, beat(t2, used_gib=10))
    assert prune_history(engine, t2 + timedelta(days=89), 90) == 0
    assert prune_history(engine, t2 + timedelta(days=91), 90) == 1
    assert alerts(engine) == []


def test_kinds_and_states_are_stored_as_their_names(engine: Engine) -> None:
    run(engine, T0, beat(T0, used_gib=90))
    (alert,) = alerts(engine)
    assert AlertKind(alert.kind) is AlertKind.DISK_USED
    assert AlertState(alert.state) is AlertState.PENDING


def test_a_dismissed_vanished_mount_resolves(engine: Engine) -> None:
    run(engine, T0, beat(T0))
    only_root = heartbeat_payload(filesystems=[filesystem_payload()])
    for second in (30, 60):
        at = T0 + timedelta(seconds=second)
        run(engine, at, {**only_root, "timestamp": at.isoformat()})
    assert [a.kind for a in alerts(engine)] == ["vanished"]
    with Session(engine) as session:
        session.execute(
            update(Filesystem)
            .where(Filesystem.mount_point == "/data")
            .values(dismissed_seen_at=Filesystem.last_seen_at)
        )
        session.commit()
    at = T0 + timedelta(seconds=90)
    run(engine, at, {**only_root, "timestamp": at.isoformat()})
    assert [a.state for a in alerts(engine)] == ["resolved"]


def test_a_burst_of_crossings_queues_the_first_at_once_and_groups_the_rest(
    engine: Engine,
) -> None:
    grouping = replace(CONFIG, group_seconds=30)

    def full_disks(at: datetime) -> dict[str, Any]:
        disks = [
            filesystem_payload(
                mount_point=f"/disk{n}",
                device=f"/dev/sd{'bcdef'[n]}1",
                used_bytes=90 * GIB,
                available_bytes=10 * GIB,
            )
            for n in range(5)
        ]
        return heartbeat_payload(timestamp=at, filesystems=disks)

    store_heartbeats(engine, [full_disks(T0)])
    evaluate(engine, grouping, T0)
    t1 = T0 + timedelta(seconds=61)
    store_heartbeats(engine, [full_disks(t1)])
    evaluate(engine, grouping, t1)
    assert len(alerts(engine)) == 5
    due = [m.due_at for m in outbox(engine)]
    assert due == [t1] + [t1 + timedelta(seconds=30)] * 4


def test_a_pass_over_a_fleet_larger_than_one_batch_judges_every_server(engine: Engine) -> None:
    # Two filesystems a server, at most three a batch: each server gets a batch of its own.
    config = replace(CONFIG, filesystems_per_batch=3)
    names = [f"nas-{n}" for n in range(1, 6)]
    for at in (T0, T0 + timedelta(seconds=61)):
        beats = [{**beat(at, used_gib=96), "server_id": name, "hostname": name} for name in names]
        store_heartbeats(engine, beats)
        report = evaluate(engine, config, at)
    assert [len(batch) for batch in server_batches(engine, None, 3)] == [1] * len(names)
    assert report.servers == len(names)
    assert report.fired == len(names)
    assert sorted((a.server_id, a.state) for a in alerts(engine)) == [
        (name, "firing") for name in names
    ]


def _mounts(*names: str) -> list[dict[str, Any]]:
    return [filesystem_payload(mount_point=f"/m/{n}", device=f"/dev/{n}") for n in names]


def test_conditions_past_the_open_alert_budget_fold_into_one_alert_per_kind(
    engine: Engine,
) -> None:
    config = replace(CONFIG, max_open_alerts=3)
    flood = [f"v{i:02d}" for i in range(10)]
    store_heartbeats(engine, [heartbeat_payload(timestamp=T0, filesystems=_mounts(*flood))])
    evaluate(engine, config, T0)
    for seconds in (30, 60):
        at = T0 + timedelta(seconds=seconds)
        store_heartbeats(engine, [heartbeat_payload(timestamp=at, filesystems=_mounts("root"))])
        evaluate(engine, config, at)

    opened = [a for a in alerts(engine) if a.state == AlertState.FIRING]
    assert sorted(a.mount_point or "" for a in opened) == ["", "/m/v00", "/m/v01", "/m/v02"]
    (group,) = [a for a in opened if a.mount_point is None]
    assert group.kind == AlertKind.VANISHED
    assert group.message.startswith("7 more mounts vanished on nas-1.home.lan: /m/v03, /m/v04")
    assert "HOMELAB_CMD_MAX_OPEN_ALERTS_PER_SERVER" in group.message
    assert (group.figures or {}).get("count") == 7
    assert len(outbox(engine)) == 4  # three mounts and the group, not ten
    with Session(engine) as session:
        server = session.get(Server, "nas-1")
        assert server is not None
        assert "7 more mounts vanished" in (server.budget_warning or "")


def test_a_critical_condition_is_admitted_before_vanished_mounts_past_the_budget(
    engine: Engine,
) -> None:
    config = replace(CONFIG, max_open_alerts=2, hold_seconds=0)
    flood = [f"v{i:02d}" for i in range(5)]
    store_heartbeats(engine, [heartbeat_payload(timestamp=T0, filesystems=_mounts(*flood))])
    evaluate(engine, config, T0)
    full = filesystem_payload(
        mount_point="/data", total_bytes=100 * GIB, used_bytes=99 * GIB, available_bytes=GIB
    )
    for seconds in (30, 60):
        at = T0 + timedelta(seconds=seconds)
        store_heartbeats(engine, [heartbeat_payload(timestamp=at, filesystems=[full])])
        evaluate(engine, config, at)

    opened = {(a.kind, a.mount_point) for a in alerts(engine) if a.state == AlertState.FIRING}
    assert (AlertKind.DISK_USED, "/data") in opened
    assert (AlertKind.VANISHED, None) in opened
    assert len(opened) == 3
