"""A pass's reads and writes as plain rows (pass_rows.py, levels.py, notify/channels.py) on a real
database: the rules and channels in force, and only the columns a pass changed are written, so
what the API or another hub committed meanwhile to other columns stays."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Alert, AlertFlap, NotificationChannel
from homelab_cmd.domain.alerts import AlertKind, AlertState, Severity
from homelab_cmd.services.alerts.evaluation import evaluate
from homelab_cmd.services.alerts.pass_rows import AlertRow, FlapRow, PassRows
from homelab_cmd.services.alerts.rules import put_rule
from homelab_cmd.services.levels import load_policies
from homelab_cmd.services.notify.channels import stored_targets
from tests.factories import (
    GIB,
    alert_config,
    filesystem_payload,
    heartbeat_payload,
    store_heartbeats,
)

T0 = datetime(2026, 12, 7, 12, tzinfo=UTC)


def full_disk(engine: Engine, server_id: str = "nas-1", at: datetime = T0) -> None:
    fs = filesystem_payload(used_bytes=97 * GIB, available_bytes=3 * GIB)
    store_heartbeats(
        engine, [heartbeat_payload(server_id=server_id, timestamp=at, filesystems=[fs])]
    )


def test_a_pass_reads_the_rules_and_channels_in_force(engine: Engine) -> None:
    full_disk(engine, "nas-1")
    full_disk(engine, "nas-2")
    with Session(engine) as session:
        put_rule(session, None, None, {"warn_percent": 70.0})
        put_rule(session, "nas-1", None, {"crit_percent": 90.0, "mode": "expected_full"})
        put_rule(session, "nas-1", "/srv/*", {"warn_free_bytes": 5 * GIB})
        put_rule(session, "nas-2", "/", {"inodes_warn_percent": 50.0})
        for i, (url, least, on) in enumerate(
            [
                ("json://a/", "warning", True),
                ("json://b/", "critical", True),
                ("json://c/", "warning", False),
            ]
        ):
            session.add(
                NotificationChannel(
                    name=f"c{i}",
                    url=url,
                    min_severity=least,
                    enabled=on,
                    created_at=T0,
                )
            )
        session.commit()
        channel_ids = session.scalars(select(NotificationChannel.id).order_by("id")).all()
        conn = session.connection()  # what a pass holds
        everything = load_policies(conn, None)
        assert load_policies(session, None) == everything
        assert everything.global_rule["warn_percent"] == 70.0
        assert everything.server_rules["nas-1"]["crit_percent"] == 90.0
        assert everything.server_rules["nas-1"]["mode"] == "expected_full"
        ((pattern, values),) = everything.mount_rules["nas-1"]
        assert (pattern, values["warn_free_bytes"]) == ("/srv/*", 5 * GIB)
        assert [p for p, _ in everything.mount_rules["nas-2"]] == ["/"]
        only_one = load_policies(conn, ["nas-1"])
        assert only_one.global_rule == everything.global_rule
        assert "nas-2" not in only_one.server_rules and "nas-2" not in only_one.mount_rules
        assert load_policies(conn, []).mount_rules == {}
        targets = stored_targets(conn)
        assert stored_targets(session) == targets
        assert [(t.key, t.url, t.min_severity) for t in targets] == [
            (f"db:{channel_ids[0]}", "json://a/", Severity.WARNING),
            (f"db:{channel_ids[1]}", "json://b/", Severity.CRITICAL),
        ]


def test_a_pass_writes_only_the_columns_it_changed(engine: Engine) -> None:
    """An acknowledgement committed after the pass read the alert (PostgreSQL lets the API
    write while a pass runs) survives the pass's update of the alert's other columns."""
    full_disk(engine)
    evaluate(engine, alert_config(hold_seconds=0), T0)
    rows = PassRows()
    with engine.begin() as conn:
        (alert,) = rows.read_alerts(conn, ["nas-1"])
    assert alert.state is AlertState.FIRING
    with Session(engine) as session:
        stored = session.scalars(select(Alert)).one()
        stored.acknowledged_at = T0 + timedelta(minutes=1)
        stored.acknowledged_by = "admin"
        session.commit()
    alert.message = "changed by the pass"
    alert.unknown = False  # set to its value: no change
    assert rows.changed()
    with engine.begin() as conn:
        rows.write(conn)
    with Session(engine) as session:
        stored = session.scalars(select(Alert)).one()
        assert stored.message == "changed by the pass"
        assert stored.acknowledged_by == "admin"
        assert stored.acknowledged_at == T0 + timedelta(minutes=1)


def test_rows_set_to_their_values_are_no_change(engine: Engine) -> None:
    full_disk(engine)
    evaluate(engine, alert_config(hold_seconds=0), T0)
    rows = PassRows()
    with engine.begin() as conn:
        (alert,) = rows.read_alerts(conn, ["nas-1"])
        rows.read_flaps(conn, ["nas-1"])
    alert.figures = dict(alert.figures or {})
    alert.severity = Severity(str(alert.severity))
    assert not rows.changed()


def test_rows_added_and_deleted_in_one_pass(engine: Engine) -> None:
    """A flap record deleted and counted afresh in the same pass is written as the new one; a
    new alert row, an update and a delete go in one write."""
    full_disk(engine)
    full_disk(engine, "nas-2")
    key = "k" * 64
    with Session(engine) as session:
        session.add(
            AlertFlap(
                condition_key=key,
                server_id="nas-1",
                kind=AlertKind.DISK_USED,
                mount_point="/",
                changes=[[1, 9]],
                last_change_at=T0,
                severity=Severity.WARNING,
                changes_while_flapping=0,
            )
        )
        for server_id, state in (("nas-1", AlertState.PENDING), ("nas-2", AlertState.FIRING)):
            session.add(
                Alert(
                    kind=AlertKind.DISK_USED,
                    server_id=server_id,
                    mount_point="/",
                    open_key=server_id.ljust(64, "x"),
                    state=state,
                    severity=Severity.WARNING,
                    started_at=T0,
                    unknown=False,
                    message="m",
                    figures={},
                )
            )
        session.commit()
    rows = PassRows()
    with engine.begin() as conn:
        pending, firing = sorted(rows.read_alerts(conn, None), key=lambda a: a.server_id)
        (old,) = rows.read_flaps(conn, None)
        rows.delete_alert(pending)
        firing.state = AlertState.RESOLVED
        firing.open_key = None
        rows.delete_flap(old)
        fresh = FlapRow(key, "nas-1", AlertKind.DISK_USED, "/", Severity.CRITICAL, T0, [[2, 1]])
        rows.add_flap(fresh)
        rows.add_alert(
            AlertRow(
                kind=AlertKind.INODES_USED,
                server_id="nas-1",
                mount_point="/",
                open_key="n" * 64,
                state=AlertState.PENDING,
                severity=Severity.WARNING,
                started_at=T0,
                message="new",
                figures={"percent": 91.0},
            )
        )
        rows.write(conn)
    with Session(engine) as session:
        alerts = {(a.server_id, a.kind): a for a in session.scalars(select(Alert))}
        assert set(alerts) == {("nas-2", AlertKind.DISK_USED), ("nas-1", AlertKind.INODES_USED)}
        assert alerts["nas-2", AlertKind.DISK_USED].state is AlertState.RESOLVED
        assert alerts["nas-2", AlertKind.DISK_USED].open_key is None
        assert alerts["nas-1", AlertKind.INODES_USED].figures == {"percent": 91.0}
        flap = session.scalars(select(AlertFlap)).one()
        assert (flap.changes, flap.severity) == ([[2, 1]], Severity.CRITICAL)
