"""Flapping on a real database: a condition changing state too often is told once, then settles."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AlertFlap, NotificationOutbox
from homelab_cmd.domain.alerts import Severity
from homelab_cmd.schemas.alert import AlertFilter
from homelab_cmd.services.alerts.evaluation import AlertConfig, evaluate
from homelab_cmd.services.alerts.flapping import FlapConfig
from homelab_cmd.services.alerts.reads import list_alerts
from homelab_cmd.services.notify.channels import Target
from tests.factories import (
    GIB,
    alert_config,
    filesystem_payload,
    heartbeat_payload,
    store_heartbeats,
)

T0 = datetime(2026, 12, 6, 12, tzinfo=UTC)
# No hold and no grouping: every crossing is a change of state and a message of its own.
CONFIG = alert_config(hold_seconds=0, public_url="https://hub.home.lan")


def beat(at: datetime, used_gib: float) -> dict[str, Any]:
    srv = filesystem_payload(
        mount_point="/srv",
        total_bytes=100 * GIB,
        used_bytes=int(used_gib * GIB),
        available_bytes=int((100 - used_gib) * GIB),
    )
    return heartbeat_payload(timestamp=at, filesystems=[filesystem_payload(), srv])


def run(engine: Engine, at: datetime, used_gib: float | None, config: AlertConfig = CONFIG) -> None:
    """A heartbeat at `at` (none when `used_gib` is None), then a pass."""
    if used_gib is not None:
        store_heartbeats(engine, [beat(at, used_gib)])
    evaluate(engine, config, at)


def messages(engine: Engine) -> list[NotificationOutbox]:
    with Session(engine) as session:
        return list(session.scalars(select(NotificationOutbox).order_by(NotificationOutbox.id)))


def flapping(engine: Engine) -> list[bool]:
    """The `flapping` flag of every alert as the API lists them."""
    with Session(engine) as session:
        return [a.flapping for a in list_alerts(session, AlertFilter.ALL, None, 100).data]


def swing(engine: Engine, start: datetime, minutes: int) -> datetime:
    """Usage across the warning level (85 %) and below its clear level (80 %) every minute."""
    at = start
    for minute in range(minutes):
        at = start + timedelta(minutes=minute)
        run(engine, at, 90 if minute % 2 == 0 else 70)
    return at


def test_a_normal_fire_and_resolve_is_not_flapping(engine: Engine) -> None:
    swing(engine, T0, 4)  # fired, resolved, fired, resolved: four changes, the limit

    assert [m.event for m in messages(engine)] == ["firing", "resolved", "firing", "resolved"]
    assert flapping(engine) == [False, False]


def test_past_the_limit_a_condition_is_flapping_and_told_once_with_its_rate(
    engine: Engine,
) -> None:
    swing(engine, T0, 20)

    events = [m.event for m in messages(engine)]
    # The fifth change is told as flapping; the fifteen after it are held.
    assert events == ["firing", "resolved", "firing", "resolved", "flapping"]
    told = messages(engine)[-1]
    assert told.title == "[FLAPPING] nas-1.home.lan /srv: disk used"
    assert (
        "/srv usage is flapping: 5 changes in the last hour; notifications paused until it "
        "settles (no change for 30 minutes)"
    ) in told.body
    assert told.severity == "warning"
    # Every alert row of the condition shows it, the open one first.
    assert set(flapping(engine)) == {True}
    with Session(engine) as session:
        (row,) = session.scalars(select(AlertFlap))
    assert row.changes_while_flapping == 20


def test_a_flapping_condition_settles_once_with_what_it_is_now(engine: Engine) -> None:
    last = swing(engine, T0, 9)  # ends above the level: firing
    assert [m.event for m in messages(engine)][-1] == "flapping"

    for minute in range(1, 40):  # steady and firing: no change for 30 minutes settles it
        at = last + timedelta(minutes=minute)
        run(engine, at, 90)

    settled = [m for m in messages(engine) if m.event == "settled"]
    assert len(settled) == 1
    assert settled[0].title == "[SETTLED] nas-1.home.lan /srv: disk used"
    assert "/srv usage has settled: no change for 30 minutes after 9 changes" in settled[0].body
    assert "Now: firing (warning): /srv is 90.0 % full" in settled[0].body
    assert settled[0].severity == "warning"
    assert flapping(engine)[0] is False

    # Its messages flow again: the next resolve is told as usual, and no repeat came early.
    at = last + timedelta(minutes=41)
    run(engine, at, 70)
    assert [m.event for m in messages(engine)][-2:] == ["settled", "resolved"]


def test_a_condition_that_settles_resolved_says_it_is_ok(engine: Engine) -> None:
    last = swing(engine, T0, 10)  # ends below the clear level: resolved
    for minute in range(1, 35, 3):
        run(engine, last + timedelta(minutes=minute), 70)

    (settled,) = [m for m in messages(engine) if m.event == "settled"]
    assert "Now: OK (not firing)" in settled.body
    assert settled.severity == "ok"
    with Session(engine) as session:
        assert list(session.scalars(select(AlertFlap))) == []


def test_severity_swinging_while_firing_counts_as_changes(engine: Engine) -> None:
    for minute in range(12):  # critical (97 %) and warning (88 %, below critical's clear level)
        at = T0 + timedelta(minutes=minute)
        run(engine, at, 97 if minute % 2 == 0 else 88)

    events = [(m.event, m.severity) for m in messages(engine)]
    # Up is told, down (eased) never was; the fifth change makes it flap.
    assert events == [
        ("firing", "critical"),
        ("firing", "critical"),
        ("flapping", "critical"),
    ]


def test_the_limit_and_window_are_settings(engine: Engine) -> None:
    strict = replace(CONFIG, flap=FlapConfig(changes=2, window=timedelta(minutes=10)))
    for minute in range(6):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, 90 if minute % 2 == 0 else 70, strict)
    assert [m.event for m in messages(engine)] == ["firing", "resolved", "flapping"]


def test_changes_older_than_the_window_do_not_count(engine: Engine) -> None:
    swing(engine, T0, 4)  # four changes
    later = T0 + timedelta(hours=2)
    swing(engine, later, 4)  # four more, two hours on: never five within the hour
    assert "flapping" not in [m.event for m in messages(engine)]


def test_off_with_a_limit_of_zero(engine: Engine) -> None:
    off = replace(CONFIG, flap=FlapConfig(changes=0))
    for minute in range(8):
        at = T0 + timedelta(minutes=minute)
        run(engine, at, 90 if minute % 2 == 0 else 70, off)
    assert [m.event for m in messages(engine)] == ["firing", "resolved"] * 4


def test_a_worse_severity_while_flapping_is_told_to_the_channels_that_take_it(
    engine: Engine,
) -> None:
    pager = Target("env:1", "json://127.0.0.1:9/", Severity.CRITICAL)
    config = replace(CONFIG, env_targets=(*CONFIG.env_targets, pager))
    at = T0
    for minute in range(6):  # warning swings: flapping, told at warning (not to the pager)
        at = T0 + timedelta(minutes=minute)
        run(engine, at, 90 if minute % 2 == 0 else 70, config)
    assert [(m.channel_key, m.event) for m in messages(engine) if m.event == "flapping"] == [
        ("env:0", "flapping")
    ]

    # Critical while flapping: its own messages stay held, and a [FLAPPING] message at
    # critical goes to every channel taking critical, the pager too; once.
    for minute in range(1, 4):
        run(engine, at + timedelta(minutes=minute), 97, config)
    told = [m for m in messages(engine) if m.event == "flapping"]
    assert [(m.channel_key, m.severity) for m in told] == [
        ("env:0", "warning"),
        ("env:0", "critical"),
        ("env:1", "critical"),
    ]
    assert told[-1].title == "[FLAPPING] nas-1.home.lan /srv: disk used"
    assert [m.event for m in messages(engine)].count("firing") == 2  # before it flapped
    with Session(engine) as session:
        (row,) = session.scalars(select(AlertFlap))
    assert row.told_severity == Severity.CRITICAL
