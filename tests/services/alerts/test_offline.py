"""Going offline between full passes: the interval's check on a real database finds the servers
whose offline alert is out of date, and the full pass runs every FULL_PASS_EVERY intervals."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Alert, Server
from homelab_cmd.domain.alerts import AlertKind, AlertState, Severity
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.alerts.alert_pass import open_key
from homelab_cmd.services.alerts.offline import offline_changed
from homelab_cmd.services.alerts.runner import FULL_PASS_EVERY
from homelab_cmd.services.ingest.store import HeartbeatStore
from tests.services.alerts.test_runner import Hub, beat, statements

NOW = datetime(2026, 12, 7, 9, 0, 0, 400_000, tzinfo=UTC)


def _server(session: Session, server_id: str, last_seen_at: datetime | None) -> None:
    session.add(Server(id=server_id, hostname=server_id, created_at=NOW, last_seen_at=last_seen_at))


def _offline_alert(session: Session, server_id: str, *, open_: bool = True) -> None:
    session.flush()  # its server first
    kind = AlertKind.SERVER_OFFLINE
    session.add(
        Alert(
            kind=kind,
            server_id=server_id,
            mount_point=None,
            open_key=open_key(kind, server_id, None) if open_ else None,
            state=AlertState.FIRING if open_ else AlertState.RESOLVED,
            severity=Severity.CRITICAL,
            started_at=NOW - timedelta(hours=1),
            message="offline",
        )
    )


def test_the_check_finds_servers_whose_offline_alert_disagrees_with_their_last_sighting(
    engine: Engine,
) -> None:
    threshold = 180
    second = NOW.replace(microsecond=0)  # sightings are stored in whole seconds
    with Session(engine) as session:
        # 179.4 s and 180.4 s before NOW: online and offline (domain.servers.status_at).
        _server(session, "edge-online", second - timedelta(seconds=threshold - 1))
        _server(session, "just-offline", second - timedelta(seconds=threshold))
        _server(session, "never-seen", None)
        _server(session, "quiet-known", NOW - timedelta(hours=2))
        _offline_alert(session, "quiet-known")
        _server(session, "back", NOW - timedelta(seconds=5))
        _offline_alert(session, "back")
        _server(session, "back-resolved", NOW - timedelta(seconds=5))
        _offline_alert(session, "back-resolved", open_=False)
        session.commit()

    assert offline_changed(engine, NOW, threshold) == ["back", "just-offline", "never-seen"]
    # At a whole second, a sighting exactly the threshold before is still online.
    assert offline_changed(engine, second, threshold) == ["back", "never-seen"]
    assert offline_changed(engine, second + timedelta(seconds=1), threshold) == [
        "back",
        "just-offline",
        "never-seen",
    ]


def _full_pass(seen: list[str]) -> bool:
    """Whether these statements include the full pass's read of every server id, in order."""
    return any(" ".join(s.split()) == FULL_PASS_READ for s in seen)


FULL_PASS_READ = "SELECT server.id FROM server ORDER BY server.id"


def test_going_offline_is_met_by_the_interval_check_and_the_full_pass_runs_less_often(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings, offline_after_seconds=180)
    hub.runner.step()  # the first full pass
    hub.send(40)
    hub.runner.step()
    last_seen = hub.clocks.now
    fired_after, full_passes = None, 0
    for _ in range(4 * FULL_PASS_EVERY):
        hub.clocks.advance(10)
        with statements(engine) as seen:
            hub.runner.step()
        full_passes += _full_pass(seen)
        if fired_after is None and hub.alerts() == [("nas-1", "server_offline", "firing")]:
            fired_after = (hub.clocks.now - last_seen).total_seconds()
            assert not _full_pass(seen)  # the interval's check, not a full pass
    assert full_passes == 4
    assert fired_after is not None and 180 < fired_after <= 190


def test_a_server_back_through_another_hub_is_resolved_by_the_check(
    engine: Engine, settings: Settings
) -> None:
    hub = Hub(engine, settings, offline_after_seconds=180)
    hub.runner.step()
    hub.send(40)
    hub.runner.step()
    hub.clocks.advance(200)
    hub.runner.step()
    assert hub.alerts() == [("nas-1", "server_offline", "firing")]
    # Another hub on the database stores a heartbeat: this runner's hook never hears of it.
    hub.clocks.advance(1)
    heartbeat = HeartbeatRequest.model_validate(beat(40, "nas-1", hub.clocks.now))
    with engine.begin() as conn:
        HeartbeatStore().store(conn, heartbeat, hub.clocks.now)
    hub.clocks.advance(10)
    assert hub.runner.next_wake() <= hub.clocks.tick
    hub.runner.step()
    assert hub.alerts() == [("nas-1", "server_offline", "resolved")]
