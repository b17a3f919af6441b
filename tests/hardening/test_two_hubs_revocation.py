"""Two real hub processes on one database: a credential revoked on one is refused by the other
within the bound docs/security.md states (the revocation poll, 2 s by default, plus one request).

Each test first makes the second hub verify (and cache) the credential, revokes it on the first,
then asks the second hub again until it refuses, with a generous deadline. The delay is printed
(run with -s to see it); nothing here asserts a time beyond the deadline.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import httpx
import pytest

from homelab_cmd.services.access.legacy_key import KEY_FILE
from tests.conftest import ENGINES
from tests.factories import heartbeat_payload
from tests.hub_process import API_KEY, HUB, running_hub
from tests.postgres import private_schema

pytestmark = pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed")

DEADLINE_SECONDS = 10.0
OLD_KEY = "old-shared-key-0123456789"
ADMIN = {"Authorization": f"Bearer {API_KEY}"}
HEARTBEAT = "/api/v1/agents/heartbeat"


@dataclass(frozen=True)
class Hubs:
    one: httpx.Client
    two: httpx.Client


@pytest.fixture(scope="module", params=ENGINES)
def hubs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Hubs]:
    """Two hubs sharing one database, each with its own data folder holding the legacy key."""
    root = tmp_path_factory.mktemp(f"two-hubs-{request.param}")
    with ExitStack() as stack:
        if request.param == "postgres":
            url = stack.enter_context(private_schema("revocation"))
        else:
            url = f"sqlite:///{root / 'shared.db'}"
        env = {
            "HOMELAB_CMD_DATABASE_URL": url,
            # Probing heartbeats must not run into the per-server rate budget.
            "HOMELAB_CMD_MAX_HEARTBEATS_PER_MINUTE": "100000",
        }
        clients = []
        for name in ("one", "two"):
            data = root / name
            data.mkdir()
            (data / KEY_FILE).write_text(OLD_KEY + "\n", encoding="utf-8")
            _, base = stack.enter_context(running_hub(data, env))
            clients.append(stack.enter_context(httpx.Client(base_url=base, timeout=30)))
        yield Hubs(*clients)


def _refused_within_deadline(probe: Callable[[], int], what: str, refused: int = 401) -> float:
    """Seconds until `probe` answers `refused`; fails past the deadline."""
    start = time.monotonic()
    while True:
        status = probe()
        elapsed = time.monotonic() - start
        if status == refused:
            print(f"{what}: refused by the other hub after {elapsed:.2f} s")
            return elapsed
        assert elapsed < DEADLINE_SECONDS, f"{what}: still {status} after {elapsed:.1f} s"
        time.sleep(0.05)


def _enroll(hub: httpx.Client, hostname: str) -> tuple[str, str]:
    code = hub.post("/api/v1/enrollments", headers=ADMIN).json()["code"]
    answer = hub.post("/api/v1/agents/enroll", json={"code": code, "hostname": hostname})
    assert answer.status_code == 201, answer.text
    return answer.json()["server_id"], answer.json()["token"]


def _agent_probe(hub: httpx.Client, token: str) -> Callable[[], int]:
    # A valid agent token may not list servers (403); a revoked one is not known at all (401).
    return lambda: (
        hub.get("/api/v1/servers", headers={"Authorization": f"Bearer {token}"}).status_code
    )


def test_an_admin_token_revoked_on_one_hub_is_refused_by_the_other(hubs: Hubs) -> None:
    created = hubs.one.post("/api/v1/tokens", json={"name": "ci", "role": "admin"}, headers=ADMIN)
    bearer = {"Authorization": f"Bearer {created.json()['token']}"}
    assert hubs.two.get("/api/v1/tokens", headers=bearer).status_code == 200

    revoked = hubs.one.delete(f"/api/v1/tokens/{created.json()['id']}", headers=ADMIN)
    assert revoked.status_code == 204

    _refused_within_deadline(
        lambda: hubs.two.get("/api/v1/tokens", headers=bearer).status_code, "revoked admin token"
    )
    # It cannot mint a successor there either.
    minted = hubs.two.post("/api/v1/tokens", json={"name": "x", "role": "admin"}, headers=bearer)
    assert minted.status_code == 401


def test_a_rotated_agent_token_is_refused_by_the_other_hub(hubs: Hubs) -> None:
    server_id, token = _enroll(hubs.one, "rotated-host")
    beat = heartbeat_payload(server_id=server_id)
    sent = hubs.two.post(HEARTBEAT, json=beat, headers={"Authorization": f"Bearer {token}"})
    assert sent.status_code == 200

    assert hubs.one.post(f"/api/v1/servers/{server_id}/token", headers=ADMIN).status_code == 200

    _refused_within_deadline(_agent_probe(hubs.two, token), "rotated agent token")


def test_a_deleted_servers_agent_token_is_refused_by_the_other_hub(hubs: Hubs) -> None:
    server_id, token = _enroll(hubs.one, "deleted-host")
    beat = heartbeat_payload(server_id=server_id)
    sent = hubs.two.post(HEARTBEAT, json=beat, headers={"Authorization": f"Bearer {token}"})
    assert sent.status_code == 200

    assert hubs.one.delete(f"/api/v1/servers/{server_id}", headers=ADMIN).status_code == 204

    _refused_within_deadline(_agent_probe(hubs.two, token), "deleted server's agent token")


def test_a_server_enrolled_on_one_hub_is_refused_the_legacy_key_on_the_other(
    hubs: Hubs,
) -> None:
    old = {"X-API-Key": OLD_KEY}
    beat = heartbeat_payload(server_id="upgraded-host")
    assert hubs.two.post(HEARTBEAT, json=beat, headers=old).status_code == 200
    code = hubs.one.post("/api/v1/servers/upgraded-host/token", headers=ADMIN).json()["code"]

    enrolled = hubs.one.post(
        "/api/v1/agents/enroll", json={"code": code, "hostname": "upgraded-host"}
    )
    assert enrolled.json()["server_id"] == "upgraded-host"

    _refused_within_deadline(
        lambda: hubs.two.post(HEARTBEAT, json=beat, headers=old).status_code,
        "legacy key for a server enrolled meanwhile",
        refused=403,
    )


# Last: it turns the legacy key off for the module's hubs.
def test_the_legacy_key_turned_off_on_one_hub_is_refused_by_the_other(hubs: Hubs) -> None:
    old = {"X-API-Key": OLD_KEY}
    beat = heartbeat_payload(server_id="never-enrolled")
    assert hubs.two.post(HEARTBEAT, json=beat, headers=old).status_code == 200

    assert hubs.one.delete("/api/v1/legacy-key", headers=ADMIN).status_code == 204

    _refused_within_deadline(
        lambda: hubs.two.post(HEARTBEAT, json=beat, headers=old).status_code, "legacy key"
    )
    assert hubs.two.get("/api/v1/legacy-key", headers=ADMIN).json()["enabled"] is False
