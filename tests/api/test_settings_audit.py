"""Settings changes land in the audit log: who, from where, what; never a channel's secret."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AuditEvent
from homelab_cmd.services import audit
from tests.factories import make_server

SECRET_URL = "json://hooks.example.com/hook-secret?+Authorization=Bearer%20sk_live_9&format=text"


def events(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(reversed(audit.recent(session, 100)))


def test_alert_settings_changes_at_each_level_are_audited(
    client: TestClient, engine: Engine
) -> None:
    make_server(engine, "nas")
    answers = [
        client.put("/api/v1/alert-settings", json={"warn_percent": 70, "crit_percent": 90}),
        client.put("/api/v1/servers/nas/alert-settings", json={"warn_percent": 75}),
        client.put(
            "/api/v1/servers/nas/filesystems/settings",
            json={"mount_point": "/srv/*", "mode": "ignore"},
        ),
        client.delete("/api/v1/servers/nas/filesystems/settings", params={"mount_point": "/srv/*"}),
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 204]
    seen = [(e.action, e.target, e.detail, e.source) for e in events(engine)]
    assert seen == [
        (
            "alert_settings.changed",
            "global",
            "warn_percent=70.0, crit_percent=90.0",
            "testclient",
        ),
        ("alert_settings.changed", "server nas", "warn_percent=75.0", "testclient"),
        ("alert_settings.changed", "server nas, mounts /srv/*", "mode=ignore", "testclient"),
        ("alert_settings.removed", "server nas, mounts /srv/*", None, "testclient"),
    ]
    assert {e.actor for e in events(engine)} == {"token HOMELAB_CMD_API_KEY"}


def test_a_refused_change_records_nothing(client: TestClient, engine: Engine) -> None:
    refused = client.put("/api/v1/alert-settings", json={"warn_percent": 95, "crit_percent": 90})
    unknown = client.delete("/api/v1/notification-channels/12345")

    assert (refused.status_code, unknown.status_code) == (422, 404)
    assert events(engine) == []


def test_channel_changes_are_audited_with_the_url_redacted(
    client: TestClient, engine: Engine
) -> None:
    created = client.post(
        "/api/v1/notification-channels", json={"name": "ops", "url": SECRET_URL}
    ).json()
    client.patch(
        f"/api/v1/notification-channels/{created['id']}",
        json={"min_severity": "critical", "url": SECRET_URL.replace("sk_live_9", "sk_live_10")},
    )
    client.delete(f"/api/v1/notification-channels/{created['id']}")

    log = events(engine)
    assert [(e.action, e.target) for e in log] == [
        ("channel.created", "channel ops"),
        ("channel.changed", "channel ops"),
        ("channel.removed", "channel ops"),
    ]
    for event in log:
        assert "json://hooks.example.com" in (event.detail or "")
        for secret in ("sk_live", "Bearer", "hook-secret"):
            assert secret not in (event.detail or "")
    assert "min_severity" in (log[1].detail or "")
    assert "critical and above" in (log[1].detail or "")


def test_silences_created_and_removed_are_audited(client: TestClient, engine: Engine) -> None:
    make_server(engine, "nas")
    ends = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    created = client.post(
        "/api/v1/silences",
        json={
            "server_id": "nas",
            "mount_pattern": "/backup*",
            "ends_at": ends.isoformat(),
            "comment": "disk swap",
        },
    )
    removed = client.delete(f"/api/v1/silences/{created.json()['id']}")

    assert (created.status_code, removed.status_code) == (201, 204)
    log = events(engine)
    assert [(e.action, e.target) for e in log] == [
        ("silence.created", "server nas, mounts /backup*"),
        ("silence.removed", "server nas, mounts /backup*"),
    ]
    assert log[0].detail == f"until {ends.isoformat()}: disk swap"
