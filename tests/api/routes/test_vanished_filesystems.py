"""Filesystems a server stops reporting: listed as vanished with the time since, until dismissed."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from homelab_cmd.db.models import FilesystemSample
from tests.factories import filesystem_payload, heartbeat_payload

HEARTBEAT = "/api/v1/agents/heartbeat"
DISMISS = "/api/v1/servers/nas-1/filesystems/dismiss"
START = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
USB = filesystem_payload(mount_point="/mnt/usb backup", device="/dev/sdc1", fs_type="exfat")


def beat(minutes: int, *, usb: bool) -> dict[str, object]:
    filesystems = [filesystem_payload()] + ([USB] if usb else [])
    return heartbeat_payload(timestamp=START + timedelta(minutes=minutes), filesystems=filesystems)


def unplug_usb(client: TestClient) -> None:
    for minute, usb in ((0, True), (1, True), (2, False), (3, False)):
        assert client.post(HEARTBEAT, json=beat(minute, usb=usb)).status_code == 200


def test_a_filesystem_no_longer_reported_is_listed_as_vanished(client: TestClient) -> None:
    unplug_usb(client)

    server = client.get("/api/v1/servers/nas-1").json()

    assert [fs["mount_point"] for fs in server["filesystems"]] == ["/"]
    (usb,) = server["vanished_filesystems"]
    assert usb["mount_point"] == "/mnt/usb backup"
    assert (usb["device"], usb["fs_type"]) == ("/dev/sdc1", "exfat")
    # The last heartbeat that had it, to the second, not the hourly last_seen refresh.
    assert datetime.fromisoformat(usb["missing_since"]) == START + timedelta(minutes=1)
    (card,) = client.get("/api/v1/servers").json()["data"]
    assert card["vanished_filesystem_count"] == 1


def test_dismissing_hides_it_and_keeps_its_history(client: TestClient, engine: Engine) -> None:
    unplug_usb(client)

    assert client.post(DISMISS, json={"mount_point": "/mnt/usb backup"}).status_code == 204

    assert client.get("/api/v1/servers/nas-1").json()["vanished_filesystems"] == []
    assert client.get("/api/v1/servers").json()["data"][0]["vanished_filesystem_count"] == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(FilesystemSample)).scalar_one() == 6
    history = client.get(
        "/api/v1/servers/nas-1/filesystems/metrics",
        params={"mount_point": "/mnt/usb backup", "range": "1h"},
    )
    assert history.status_code == 200


def test_a_dismissed_filesystem_that_returns_and_vanishes_again_is_listed(
    client: TestClient,
) -> None:
    unplug_usb(client)
    client.post(DISMISS, json={"mount_point": "/mnt/usb backup"})

    client.post(HEARTBEAT, json=beat(4, usb=True))
    assert client.get("/api/v1/servers/nas-1").json()["vanished_filesystems"] == []
    client.post(HEARTBEAT, json=beat(5, usb=False))

    (usb,) = client.get("/api/v1/servers/nas-1").json()["vanished_filesystems"]
    assert datetime.fromisoformat(usb["missing_since"]) == START + timedelta(minutes=4)


def test_a_filesystem_still_reported_cannot_be_dismissed(client: TestClient) -> None:
    unplug_usb(client)

    refused = client.post(DISMISS, json={"mount_point": "/"})

    assert refused.status_code == 409
    assert refused.json()["error"] == "FilesystemStillReported"
    assert [
        fs["mount_point"] for fs in client.get("/api/v1/servers/nas-1").json()["filesystems"]
    ] == ["/"]


def test_dismissing_an_unknown_mount_or_server_is_404(client: TestClient) -> None:
    unplug_usb(client)

    unknown = client.post(DISMISS, json={"mount_point": "/never"})
    assert (unknown.status_code, unknown.json()["error"]) == (404, "FilesystemNotFound")
    other = client.post(
        "/api/v1/servers/nope/filesystems/dismiss", json={"mount_point": "/mnt/usb backup"}
    )
    assert (other.status_code, other.json()["error"]) == (404, "ServerNotFound")
    assert client.post(DISMISS, json={"mount_point": ""}).status_code == 422
    assert client.post(DISMISS, json={}).status_code == 422


def test_a_heartbeat_whose_filesystem_collector_failed_vanishes_nothing(
    client: TestClient,
) -> None:
    unplug_usb(client)
    failed = heartbeat_payload(
        timestamp=START + timedelta(minutes=10),
        filesystems=[],
        collector_errors={"filesystems": "mountinfo unreadable"},
    )
    assert client.post(HEARTBEAT, json=failed).status_code == 200

    assert client.get("/api/v1/servers/nas-1").json()["vanished_filesystems"] == []
