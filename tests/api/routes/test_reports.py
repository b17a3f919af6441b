"""The capacity report through the API: read as JSON, sent now through the channels."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import AuditEvent, NotificationOutbox
from homelab_cmd.domain.access import Role
from tests.conftest import API_KEY
from tests.factories import make_token
from tests.services.reports.fleet import build_fleet

REPORT = "/api/v1/reports/capacity"
SEND = "/api/v1/reports/capacity/send"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        api_key=API_KEY,
        data_dir=tmp_path / "data",
        ui_dir=tmp_path / "no-ui",
        maintenance_interval_seconds=0,
        # No evaluation or delivery threads: what was queued stays in the outbox to be looked at.
        alert_evaluation_seconds=0,
        public_url="http://hub.test",
        report_schedule="Mon 08:00 UTC",
    )


def outbox(engine: Engine) -> list[NotificationOutbox]:
    with Session(engine) as session:
        return list(session.scalars(select(NotificationOutbox)))


def test_the_report_reads_as_json(client: TestClient, engine: Engine) -> None:
    build_fleet(engine, datetime.now(UTC))

    response = client.get(REPORT)

    assert response.status_code == 200
    body = response.json()
    assert [(f["server_id"], f["mount_point"]) for f in body["filling"]] == [
        ("nas-1", "/srv"),
        ("backup-1", "/backups"),
        ("pve-1", "/var/lib/vz"),
        ("pve-1", "/tank/backup"),
        ("pve-1", "/tank/media"),
        ("pve-1", "/tank/vm"),
    ]
    assert body["filling"][-1]["fill_source"] == "domain"
    assert body["filling"][-1]["fill_domain_label"] == "pool tank"
    assert body["directory_growers"][0]["path"] == "/srv/frigate/recordings"
    assert body["schedule"] == "Mon 08:00 (UTC)"
    srv = body["filling"][0]
    assert srv["confident"] is True
    assert srv["full_at_earliest"] <= srv["full_at"] <= srv["full_at_latest"]
    assert body["growers"][0]["mount_point"] == "/srv"
    assert [c["name"] for c in body["storage_changes"]] == ["tank", "/dev/sda"]
    alerts = body["alerts"]
    assert (alerts["opened"], alerts["acknowledged"], alerts["resolved"]) == (4, 1, 1)
    assert alerts["still_firing"] == len(alerts["firing"]) == 5
    assert body["hub_url"] == "http://hub.test"
    assert body["next_report_at"] is not None
    assert body["next_report_at"] > body["generated_at"]


def test_a_read_token_reads_the_report_but_may_not_send_it(
    client: TestClient, engine: Engine
) -> None:
    _, secret = make_token(engine, Role.READ)
    headers = {"Authorization": f"Bearer {secret}", "X-API-Key": ""}

    assert client.get(REPORT, headers=headers).status_code == 200
    refused = client.post(SEND, headers=headers)

    assert refused.status_code == 403
    assert refused.json()["error"] == "Forbidden"
    assert outbox(engine) == []


def test_sending_with_no_channel_is_a_conflict_and_queues_nothing(
    client: TestClient, engine: Engine
) -> None:
    response = client.post(SEND)

    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "NoNotificationChannel"
    assert "HOMELAB_CMD_NOTIFY_URLS" in body["detail"]
    assert outbox(engine) == []


def test_sending_queues_the_report_for_each_channel(client: TestClient, engine: Engine) -> None:
    build_fleet(engine, datetime.now(UTC))
    for name, url in (("hook", "json://127.0.0.1:9/hook"), ("off", "json://127.0.0.1:9/off")):
        created = client.post("/api/v1/notification-channels", json={"name": name, "url": url})
        assert created.status_code == 201
    client.patch(f"/api/v1/notification-channels/{created.json()['id']}", json={"enabled": False})

    response = client.post(SEND)

    assert response.status_code == 202
    assert response.json()["channels"] == 1
    [row] = outbox(engine)
    assert (row.channel_key, row.event, row.sent_at) == ("db:1", "report", None)
    assert row.title.startswith("HomelabCmd weekly capacity report")
    assert "nas-1.home.lan /srv: full" in row.body
    with Session(engine) as session:
        actions = [e.action for e in session.scalars(select(AuditEvent))]
    assert actions[-1] == "report.sent"
