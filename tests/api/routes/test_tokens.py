"""API tokens: the secret is shown once, works as a bearer token, and stops working when revoked."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AuditEvent
from homelab_cmd.domain.access import Role
from tests.factories import heartbeat_payload, make_server, make_token

TOKENS = "/api/v1/tokens"
HEARTBEAT = "/api/v1/agents/heartbeat"


def test_a_created_token_is_shown_once_and_listed_without_its_secret(client: TestClient) -> None:
    created = client.post(TOKENS, json={"name": "grafana", "role": "read"})

    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "grafana"
    assert body["role"] == "read"
    assert body["token"].startswith("hlc_")
    listed = client.get(TOKENS).json()
    assert listed["count"] == 1
    assert listed["data"][0]["id"] == body["id"]
    assert "token" not in listed["data"][0]
    assert body["token"] not in client.get(TOKENS).text


def test_a_read_token_reads_but_does_not_change(client: TestClient) -> None:
    secret = client.post(TOKENS, json={"name": "scraper"}).json()["token"]
    client.post(HEARTBEAT, json=heartbeat_payload())
    client.headers.pop("X-API-Key")
    bearer = {"Authorization": f"Bearer {secret}"}

    assert client.get("/api/v1/servers", headers=bearer).json()["count"] == 1
    refused = client.delete("/api/v1/servers/nas-1", headers=bearer)
    assert refused.status_code == 403
    assert refused.json()["error"] == "Forbidden"
    assert client.post(HEARTBEAT, json=heartbeat_payload(), headers=bearer).status_code == 403


def test_a_revoked_token_is_refused_at_once(client: TestClient) -> None:
    created = client.post(TOKENS, json={"name": "old-script", "role": "admin"}).json()
    bearer = {"Authorization": f"Bearer {created['token']}", "X-API-Key": ""}
    assert client.get(TOKENS, headers=bearer).status_code == 200

    assert client.delete(f"{TOKENS}/{created['id']}").status_code == 204

    assert client.get(TOKENS, headers=bearer).status_code == 401
    assert client.get(TOKENS).json()["count"] == 0
    again = client.delete(f"{TOKENS}/{created['id']}")
    assert again.status_code == 404
    assert again.json()["error"] == "TokenNotFound"


@pytest.mark.parametrize(
    "body",
    [{"name": "x", "role": "agent"}, {"name": ""}, {"name": "bad\x00name"}, {"role": "read"}],
)
def test_a_token_request_that_makes_no_sense_is_refused(
    client: TestClient, body: dict[str, str]
) -> None:
    response = client.post(TOKENS, json=body)

    assert response.status_code == 422
    assert client.get(TOKENS).json()["count"] == 0


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key", "X-Agent-Token"])
def test_an_agent_token_is_accepted_in_every_header_agents_send(
    client: TestClient, engine: Engine, header: str
) -> None:
    make_server(engine, "nas-1")
    _, secret = make_token(engine, Role.AGENT, server_id="nas-1")
    client.headers.pop("X-API-Key")
    value = f"Bearer {secret}" if header == "Authorization" else secret

    response = client.post(HEARTBEAT, json=heartbeat_payload(), headers={header: value})

    assert response.status_code == 200


def test_an_agent_token_cannot_report_for_another_server(
    client: TestClient, engine: Engine
) -> None:
    make_server(engine, "nas-1")
    _, secret = make_token(engine, Role.AGENT, server_id="nas-1")
    client.headers.pop("X-API-Key")

    response = client.post(
        HEARTBEAT,
        json=heartbeat_payload(server_id="pi-2"),
        headers={"Authorization": f"Bearer {secret}"},
    )

    assert response.status_code == 403
    assert "another server" in response.json()["detail"]
    client.headers["X-API-Key"] = "test-key-0123456789abcdef"
    assert client.get("/api/v1/servers/pi-2").status_code == 404


def test_deleting_a_server_revokes_its_agent_token(client: TestClient, engine: Engine) -> None:
    make_server(engine, "nas-1")
    _, secret = make_token(engine, Role.AGENT, server_id="nas-1")
    agent = {"Authorization": f"Bearer {secret}", "X-API-Key": ""}
    assert client.post(HEARTBEAT, json=heartbeat_payload(), headers=agent).status_code == 200

    assert client.delete("/api/v1/servers/nas-1").status_code == 204

    assert client.post(HEARTBEAT, json=heartbeat_payload(), headers=agent).status_code == 401
    assert client.get("/api/v1/servers/nas-1").status_code == 404


def test_creating_and_revoking_a_token_is_audited_with_who_and_from_where(
    client: TestClient, engine: Engine
) -> None:
    created = client.post(TOKENS, json={"name": "grafana", "role": "read"}).json()
    assert client.delete(f"{TOKENS}/{created['id']}").status_code == 204

    with Session(engine) as session:
        events = [
            (e.action, e.actor, e.source, e.target)
            for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    assert events == [
        ("token.created", "token HOMELAB_CMD_API_KEY", "testclient", "grafana"),
        ("token.revoked", "token HOMELAB_CMD_API_KEY", "testclient", "grafana"),
    ]
    assert created["token"] not in str(events)
