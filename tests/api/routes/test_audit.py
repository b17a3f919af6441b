"""The audit log over the API: newest first, paged back, admins only."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from homelab_cmd.domain.access import Role
from tests.factories import make_admin, make_token

AUDIT = "/api/v1/audit"


def test_the_log_pages_back_from_the_newest_event(client: TestClient, engine: Engine) -> None:
    for name in ("a", "b", "c"):
        client.post("/api/v1/users", json={"username": name, "password": "long-password-1"})

    first = client.get(AUDIT, params={"limit": 2}).json()
    older = client.get(AUDIT, params={"limit": 2, "before_id": first["next_before_id"]}).json()

    assert [e["target"] for e in first["data"]] == ["c", "b"]
    assert first["count"] == 2
    assert first["data"][0]["action"] == "user.created"
    assert first["data"][0]["actor"].startswith("token ")
    assert first["data"][0]["source"] == "testclient"
    assert [e["target"] for e in older["data"]] == ["a"]
    assert older["next_before_id"] is None


def test_a_read_credential_may_not_read_the_log(client: TestClient, engine: Engine) -> None:
    make_admin(engine)
    _, secret = make_token(engine, Role.READ)

    answer = client.get(AUDIT, headers={"X-API-Key": "", "Authorization": f"Bearer {secret}"})

    assert answer.status_code == 403


def test_a_bad_page_is_a_422(client: TestClient) -> None:
    for params in (
        {"limit": 0},
        {"limit": 501},
        {"before_id": 0},
        {"before_id": 99999999999999999999},
        {"limit": "x"},
    ):
        assert client.get(AUDIT, params=params).status_code == 422
