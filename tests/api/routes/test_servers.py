"""The servers resource: list, read, rename, delete, online/offline."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

from homelab_cmd.db.models import Filesystem, FilesystemSample, Server, ServerMetric
from tests.factories import filesystem_payload, heartbeat_payload

HEARTBEAT = "/api/v1/agents/heartbeat"


def test_server_before_any_filesystem_data_has_null_filesystems(client: TestClient) -> None:
    payload = heartbeat_payload(metrics=None)
    del payload["filesystems"]
    client.post(HEARTBEAT, json=payload)

    server = client.get("/api/v1/servers/nas-1").json()

    assert server["filesystems"] is None
    assert server["latest_metrics"] is None


def test_list_shows_every_server_with_its_fullest_filesystem(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload(server_id="alpha"))
    full = filesystem_payload(mount_point="/srv/media", used_bytes=90, available_bytes=10)
    client.post(HEARTBEAT, json=heartbeat_payload(server_id="beta", filesystems=[full]))

    listing = client.get("/api/v1/servers").json()

    assert listing["count"] == 2
    by_id = {s["id"]: s for s in listing["data"]}
    assert by_id["beta"]["fullest_filesystem"]["mount_point"] == "/srv/media"
    assert by_id["beta"]["fullest_filesystem"]["percent"] == 90.0
    # Sizes come along, so the UI can apply the alerts' size-aware levels to the card.
    assert by_id["beta"]["fullest_filesystem"]["total_bytes"] == full["total_bytes"]
    assert by_id["beta"]["fullest_filesystem"]["available_bytes"] == 10
    assert by_id["alpha"]["filesystem_count"] == 2
    assert by_id["alpha"]["status"] == "online"


def test_empty_install_lists_no_servers(client: TestClient) -> None:
    empty = {"domain_count": 0, "total_bytes": 0, "used_bytes": 0, "available_bytes": 0}
    assert client.get("/api/v1/servers").json() == {"data": [], "count": 0, "totals": empty}


def test_server_not_heard_from_is_offline(client: TestClient, engine: Engine) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())
    long_ago = datetime.now(UTC) - timedelta(minutes=10)
    with engine.begin() as conn:
        conn.execute(update(Server).values(last_seen_at=long_ago))

    server = client.get("/api/v1/servers/nas-1").json()

    assert server["status"] == "offline"


def test_rename_sets_and_clears_the_display_name(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())

    renamed = client.patch("/api/v1/servers/nas-1", json={"display_name": "Media NAS"})
    cleared = client.patch("/api/v1/servers/nas-1", json={"display_name": None})

    assert renamed.status_code == 200
    assert renamed.json()["display_name"] == "Media NAS"
    assert cleared.json()["display_name"] is None
    assert cleared.json()["hostname"] == "nas-1.home.lan"


def test_rename_with_unknown_field_is_rejected(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())

    response = client.patch("/api/v1/servers/nas-1", json={"hostname": "other"})

    assert response.status_code == 422
    assert client.get("/api/v1/servers/nas-1").json()["hostname"] == "nas-1.home.lan"


def test_delete_removes_the_server_with_its_history(client: TestClient, engine: Engine) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())
    client.post(HEARTBEAT, json=heartbeat_payload(server_id="keep"))

    response = client.delete("/api/v1/servers/nas-1")

    assert response.status_code == 204
    assert client.get("/api/v1/servers/nas-1").status_code == 404
    with engine.connect() as conn:
        counts = [
            conn.scalar(select(func.count()).select_from(m))
            for m in (Server, ServerMetric, Filesystem, FilesystemSample)
        ]
    assert counts == [1, 1, 2, 2]


def test_deleted_server_registers_again_on_its_next_heartbeat(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())
    client.delete("/api/v1/servers/nas-1")
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)

    response = client.post(HEARTBEAT, json=heartbeat_payload(timestamp=later))

    assert response.status_code == 200
    assert response.json()["server_registered"] is True
    assert len(client.get("/api/v1/servers/nas-1").json()["filesystems"]) == 2


def test_unknown_server_is_404_for_every_method(client: TestClient) -> None:
    for method in ("GET", "PATCH", "DELETE"):
        kwargs = {"json": {"display_name": "x"}} if method == "PATCH" else {}
        response = client.request(method, "/api/v1/servers/ghost", **kwargs)
        assert response.status_code == 404, method
        assert response.json() == {"error": "ServerNotFound", "detail": "server 'ghost' not found"}


def test_servers_require_the_key(client: TestClient) -> None:
    client.headers.pop("X-API-Key")

    assert client.get("/api/v1/servers").status_code == 401
    assert client.get("/api/v1/servers/nas-1").status_code == 401
    assert client.delete("/api/v1/servers/nas-1").status_code == 401


def test_rename_with_a_nul_character_is_rejected(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())

    response = client.patch("/api/v1/servers/nas-1", json={"display_name": "bad\x00name"})

    assert response.status_code == 422
    assert client.get("/api/v1/servers/nas-1").json()["display_name"] is None


def test_rename_with_a_lone_surrogate_is_rejected(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())

    response = client.patch(
        "/api/v1/servers/nas-1",
        content=b'{"display_name": "bad \\ud800"}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert client.get("/api/v1/servers/nas-1").json()["display_name"] is None


@pytest.mark.parametrize("server_id", ["nul%00byte", "UPPER", "x" * 101, "a%0A", "%E2%98%83"])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/servers/{}", "/api/v1/servers/{}/metrics", "/api/v1/servers/{}/filesystems/metrics"],
)
def test_impossible_server_ids_are_404_on_every_route(
    client: TestClient, server_id: str, path: str
) -> None:
    response = client.get(path.format(server_id))

    assert response.status_code == 404
    assert response.json()["error"] == "ServerNotFound"
