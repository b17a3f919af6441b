"""A full channel on a real database: only repeats and resolves are dropped, and a dropped
message does not count as told, so the next pass tries again."""

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Alert, NotificationOutbox
from homelab_cmd.services.alerts.evaluation import evaluate
from tests.factories import GIB, filesystem_payload, heartbeat_payload, store_heartbeats
from tests.services.alerts.test_flapping import CONFIG, T0, messages

# A channel holding one unsent message is full; a warning repeats after an hour.
FULL = replace(CONFIG, max_queued_per_channel=1, repeat_warning_seconds=3600)


def beat(at: Any, **used_gib: float) -> dict[str, Any]:
    filesystems = [filesystem_payload()] + [
        filesystem_payload(
            mount_point=f"/{name}",
            total_bytes=100 * GIB,
            used_bytes=int(used * GIB),
            available_bytes=int((100 - used) * GIB),
        )
        for name, used in used_gib.items()
    ]
    return heartbeat_payload(timestamp=at, filesystems=filesystems)


def notified_at(engine: Engine, mount: str) -> Any:
    with Session(engine) as session:
        return session.scalar(select(Alert.notified_at).where(Alert.mount_point == mount))


def test_a_full_channel_drops_a_repeat_but_not_a_new_critical_alert(engine: Engine) -> None:
    store_heartbeats(engine, [beat(T0, srv=90)])
    evaluate(engine, FULL, T0)
    assert [m.event for m in messages(engine)] == ["firing"]  # the channel is now full

    later = T0 + timedelta(hours=2)
    store_heartbeats(engine, [beat(later, srv=90, data=97)])
    evaluate(engine, FULL, later)
    # The /srv repeat is dropped (and counted); /data's first alert, critical, still goes in
    # although nas-1 already has a message waiting there.
    assert [(m.event, m.severity) for m in messages(engine)] == [
        ("firing", "warning"),
        ("firing", "critical"),
        ("dropped", "warning"),
    ]
    # Not told: the repeat is still due.
    assert notified_at(engine, "/srv") == T0

    with Session(engine) as session, session.begin():  # the channel drains
        session.execute(update(NotificationOutbox).values(sent_at=later))
    evaluate(engine, FULL, later + timedelta(minutes=1))
    assert [m.event for m in messages(engine)][-1] == "repeat"
    assert notified_at(engine, "/srv") == later + timedelta(minutes=1)
