"""POST /api/v1/agents/heartbeat: storing, idempotency, compatibility and refusals."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from homelab_cmd.db.models import Filesystem, FilesystemSample, Server, ServerMetric
from tests.factories import (
    GIB,
    filesystem_payload,
    heartbeat_payload,
    unreachable_filesystem_payload,
)

URL = "/api/v1/agents/heartbeat"


def _counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Server, ServerMetric, Filesystem, FilesystemSample)
        )


def test_heartbeat_with_filesystems_is_readable_from_the_server(client: TestClient) -> None:
    payload = heartbeat_payload()

    response = client.post(URL, json=payload)

    assert response.status_code == 200
    assert response.json()["server_registered"] is True
    server = client.get("/api/v1/servers/nas-1").json()
    assert server["hostname"] == "nas-1.home.lan"
    assert server["status"] == "online"
    assert server["latest_metrics"]["cpu_percent"] == 12.5
    mounts = {fs["mount_point"]: fs for fs in server["filesystems"]}
    assert set(mounts) == {"/", "/data"}
    assert mounts["/data"]["device"] == "/dev/sdb1"
    assert mounts["/data"]["fs_type"] == "xfs"
    assert mounts["/"]["total_bytes"] == 100 * GIB
    assert mounts["/"]["used_bytes"] == 40 * GIB
    assert mounts["/"]["available_bytes"] == 55 * GIB
    assert mounts["/"]["state"] == "ok"


def test_latest_metrics_are_served_in_bytes_though_agents_send_mib_and_gib(
    client: TestClient,
) -> None:
    metrics = heartbeat_payload()["metrics"] | {"disk_total_gb": 100.0, "disk_used_gb": 40.5}
    client.post(URL, json=heartbeat_payload(metrics=metrics))

    for body in (
        client.get("/api/v1/servers/nas-1").json(),
        client.get("/api/v1/servers").json()["data"][0],
    ):
        latest = body["latest_metrics"]
        assert latest["memory_total_bytes"] == 8192 * 1024**2
        assert latest["memory_used_bytes"] == 3277 * 1024**2
        assert latest["disk_total_bytes"] == 100 * GIB
        assert latest["disk_used_bytes"] == 40.5 * GIB
        assert not {"memory_total_mb", "memory_used_mb", "disk_total_gb", "disk_used_gb"} & set(
            latest
        )


def test_heartbeat_stores_one_raw_sample_per_filesystem(client: TestClient, engine: Engine) -> None:
    client.post(URL, json=heartbeat_payload())

    assert _counts(engine) == (1, 1, 2, 2)


def test_replayed_heartbeat_is_stored_once_and_still_accepted(
    client: TestClient, engine: Engine
) -> None:
    payload = heartbeat_payload()

    first = client.post(URL, json=payload)
    second = client.post(URL, json=payload)

    assert first.status_code == second.status_code == 200
    assert second.json()["duplicate"] is True
    assert second.json()["server_registered"] is False
    assert _counts(engine) == (1, 1, 2, 2)


def test_older_replayed_heartbeat_does_not_overwrite_the_latest_snapshot(
    client: TestClient, engine: Engine
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    newer = heartbeat_payload(timestamp=now, filesystems=[filesystem_payload(used_bytes=50 * GIB)])
    older = heartbeat_payload(
        timestamp=now - timedelta(hours=2), filesystems=[filesystem_payload(used_bytes=10 * GIB)]
    )

    client.post(URL, json=newer)
    client.post(URL, json=older)

    server = client.get("/api/v1/servers/nas-1").json()
    assert server["filesystems"][0]["used_bytes"] == 50 * GIB
    assert server["latest_heartbeat_at"] == now.isoformat().replace("+00:00", "Z")
    assert _counts(engine)[3] == 2


def test_heartbeat_without_filesystems_leaves_them_null(client: TestClient) -> None:
    payload = heartbeat_payload()
    del payload["filesystems"]

    assert client.post(URL, json=payload).status_code == 200

    assert client.get("/api/v1/servers/nas-1").json()["filesystems"] is None


def test_original_agent_payload_with_extra_fields_is_accepted(client: TestClient) -> None:
    payload = heartbeat_payload(
        server_guid="a1b2c3d4-e5f6-4890-abcd-ef1234567890",
        agent_mode="readonly",
        updates_available=3,
        security_updates=1,
        services=[{"name": "plex", "status": "running", "pid": 12, "memory_mb": 5.5}],
        packages=[
            {
                "name": "openssl",
                "current_version": "3.0.13",
                "new_version": "3.0.14",
                "repository": "bookworm-security",
                "is_security": True,
            }
        ],
        command_results=[],
        network_interfaces=[
            {
                "name": "eth0",
                "rx_bytes": 1,
                "tx_bytes": 2,
                "rx_packets": 3,
                "tx_packets": 4,
                "is_up": True,
            }
        ],
        cpu_info={"cpu_model": "BCM2711", "cpu_cores": 4},
        update_available=False,
        docker_installed=True,
        docker_status={"running_containers": 2, "stopped_containers": 0, "total_containers": 2},
    )

    response = client.post(URL, json=payload)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["pending_commands"] == []
    assert len(client.get("/api/v1/servers/nas-1").json()["filesystems"]) == 2


def test_unreachable_filesystem_is_in_the_snapshot_but_not_in_history(
    client: TestClient, engine: Engine
) -> None:
    stuck = unreachable_filesystem_payload()

    client.post(URL, json=heartbeat_payload(filesystems=[filesystem_payload(), stuck]))

    mounts = {fs["mount_point"] for fs in client.get("/api/v1/servers/nas-1").json()["filesystems"]}
    assert mounts == {"/", "/mnt/nfs"}
    assert _counts(engine)[3] == 1


def test_unreachable_filesystem_state_is_kept(client: TestClient) -> None:
    nfs = unreachable_filesystem_payload()
    client.post(URL, json=heartbeat_payload(filesystems=[nfs]))

    fs = client.get("/api/v1/servers/nas-1").json()["filesystems"][0]
    assert fs["state"] == "unreachable"
    assert fs["available_bytes"] == 0


def test_long_unicode_mount_points_and_many_filesystems_are_accepted(
    client: TestClient, engine: Engine
) -> None:
    long_mount = "/" + "é" * 2000 + "/" + "x" * 2094
    assert len(long_mount) == 4096
    filesystems = [filesystem_payload(mount_point=long_mount, device="//nas/share with space")]
    filesystems += [
        filesystem_payload(mount_point=f"/mnt/disk {i} ☃", device=f"/dev/sd{i}") for i in range(999)
    ]

    response = client.post(URL, json=heartbeat_payload(filesystems=filesystems))

    assert response.status_code == 200, response.text
    mounts = {fs["mount_point"] for fs in client.get("/api/v1/servers/nas-1").json()["filesystems"]}
    assert long_mount in mounts
    assert "/mnt/disk 998 ☃" in mounts
    assert _counts(engine)[2:] == (1000, 1000)


def test_repeated_mount_point_keeps_the_later_entry(client: TestClient) -> None:
    filesystems = [
        filesystem_payload(mount_point="/mnt/x", device="/dev/old"),
        filesystem_payload(mount_point="/mnt/x", device="/dev/new"),
    ]

    assert client.post(URL, json=heartbeat_payload(filesystems=filesystems)).status_code == 200

    (fs,) = client.get("/api/v1/servers/nas-1").json()["filesystems"]
    assert fs["device"] == "/dev/new"


def test_replaced_disk_keeps_history_and_shows_the_new_device(
    client: TestClient, engine: Engine
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    client.post(URL, json=heartbeat_payload(timestamp=now - timedelta(minutes=1)))
    replaced = [filesystem_payload(device="/dev/nvme0n1p2", fs_type="btrfs")]
    client.post(URL, json=heartbeat_payload(timestamp=now, filesystems=replaced))

    with engine.connect() as conn:
        root = conn.execute(select(Filesystem).where(Filesystem.mount_point == "/")).one()
        samples = conn.scalar(
            select(func.count())
            .select_from(FilesystemSample)
            .where(FilesystemSample.filesystem_id == root.id)
        )
    assert (root.device, root.fs_type, samples) == ("/dev/nvme0n1p2", "btrfs", 2)


def test_timestamp_without_zone_is_utc(client: TestClient) -> None:
    naive = datetime.now(UTC).replace(microsecond=0, tzinfo=None)

    client.post(URL, json=heartbeat_payload(timestamp=naive.isoformat()))

    stored = client.get("/api/v1/servers/nas-1").json()["latest_heartbeat_at"]
    assert stored == naive.isoformat() + "Z"


def test_timestamp_far_in_the_future_is_rejected(client: TestClient, engine: Engine) -> None:
    future = datetime.now(UTC) + timedelta(hours=1)

    response = client.post(URL, json=heartbeat_payload(timestamp=future))

    assert response.status_code == 422
    assert response.json()["error"] == "TimestampInFuture"
    assert "clock" in response.json()["detail"]
    assert _counts(engine) == (0, 0, 0, 0)


def test_small_clock_skew_is_accepted(client: TestClient) -> None:
    ahead = datetime.now(UTC) + timedelta(seconds=60)

    assert client.post(URL, json=heartbeat_payload(timestamp=ahead)).status_code == 200


BAD_PAYLOADS: list[tuple[str, dict[str, Any]]] = [
    ("server_id with capitals", {"server_id": "NAS_1"}),
    ("server_id empty", {"server_id": ""}),
    ("server_id too long", {"server_id": "a" * 101}),
    ("hostname missing", {"hostname": None}),
    ("timestamp not a date", {"timestamp": "yesterday"}),
    ("timestamp off the calendar in UTC", {"timestamp": "0001-01-01T00:00:00+05:00"}),
    ("timestamp before 1970", {"timestamp": "1969-12-31T23:59:59Z"}),
    ("cpu over 100", {"metrics": {"cpu_percent": 101}}),
    ("negative load", {"metrics": {"load_1m": -1}}),
    ("load past any real host", {"metrics": {"load_1m": 1e308}}),
    ("disk size past any real host", {"metrics": {"disk_total_gb": 1e300}}),
    ("memory overflowing storage", {"metrics": {"memory_total_mb": 2**60}}),
    ("filesystems not a list", {"filesystems": {"mount_point": "/"}}),
    ("filesystem without mount point", {"filesystems": [{"device": "/dev/sda1"}]}),
    ("negative bytes", {"filesystems": [filesystem_payload(used_bytes=-1)]}),
    ("bytes past 64 bits", {"filesystems": [filesystem_payload(total_bytes=2**64)]}),
    ("percent over 100", {"filesystems": [filesystem_payload(percent=100.5)]}),
    ("unknown state", {"filesystems": [filesystem_payload(state="maybe")]}),
    ("mount point over 4096", {"filesystems": [filesystem_payload(mount_point="/" * 4097)]}),
    ("NUL in mount point", {"filesystems": [filesystem_payload(mount_point="/mnt/a\x00b")]}),
    ("NUL in hostname", {"hostname": "host\x00"}),
    ("bytes as text", {"filesystems": [filesystem_payload(used_bytes="lots", percent=1.0)]}),
]


@pytest.mark.parametrize(("case", "overrides"), BAD_PAYLOADS, ids=[c for c, _ in BAD_PAYLOADS])
def test_invalid_heartbeat_is_rejected_and_stores_nothing(
    client: TestClient, engine: Engine, case: str, overrides: dict[str, Any]
) -> None:
    payload = heartbeat_payload(**overrides)

    response = client.post(URL, json=payload)

    assert response.status_code == 422, case
    body = response.json()
    assert body["error"] == "ValidationError"
    assert body["detail"]
    assert _counts(engine) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[]",
        b"null",
        b'{"server_id": "a", "hostname": "h", "timestamp": "2026-01-01T00:00:00Z", '
        b'"metrics": {"load_1m": NaN}}',
        b'{"server_id": "a", "hostname": "h", "timestamp": "2026-01-01T00:00:00Z", '
        b'"metrics": {"load_1m": Infinity}}',
        b'{"server_id": "a", "hostname": "\\ud800", "timestamp": "2026-01-01T00:00:00Z"}',
        "\xff\xfe".encode("latin-1"),
    ],
    ids=["broken", "array", "null", "nan", "infinity", "lone-surrogate", "not-utf8"],
)
def test_malformed_body_gets_422(client: TestClient, engine: Engine, raw: bytes) -> None:
    response = client.post(URL, content=raw, headers={"Content-Type": "application/json"})

    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"
    assert _counts(engine) == (0, 0, 0, 0)


def test_body_over_the_limit_gets_413(client: TestClient, engine: Engine) -> None:
    huge = [filesystem_payload(mount_point=f"/m/{i:06d}" + "x" * 200) for i in range(5000)]
    body = json.dumps(heartbeat_payload(filesystems=huge)).encode()
    assert len(body) > 1024 * 1024

    response = client.post(URL, content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert response.json()["error"] == "PayloadTooLarge"
    assert _counts(engine) == (0, 0, 0, 0)


def test_chunked_body_over_the_limit_gets_413(client: TestClient, engine: Engine) -> None:
    def chunks() -> Any:
        yield b'{"server_id": "a", "hostname": "'
        for _ in range(1100):
            yield b"x" * 1024
        yield b'"}'

    response = client.post(URL, content=chunks(), headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert _counts(engine) == (0, 0, 0, 0)


@pytest.mark.parametrize("key", [None, "", "wrong-key-0123456789abcdef"])
def test_heartbeat_without_the_right_key_is_refused(
    client: TestClient, engine: Engine, key: str | None
) -> None:
    headers = {} if key is None else {"X-API-Key": key}
    client.headers.pop("X-API-Key")

    response = client.post(URL, json=heartbeat_payload(), headers=headers)

    assert response.status_code == 401
    assert response.json()["error"] == "Unauthorized"
    assert _counts(engine) == (0, 0, 0, 0)


def test_payload_built_like_the_original_agent_is_stored(client: TestClient) -> None:
    # The original agent sends nulls for what it could not collect, a reboot flag in metrics,
    # raw /proc/mounts escapes in mount points and microsecond timestamps with an offset.
    payload = heartbeat_payload(
        server_guid=None,
        agent_mode="readonly",
        agent_version="unknown",
        timestamp=datetime.now(UTC).isoformat(),
        updates_available=None,
        security_updates=None,
        metrics={"reboot_required": False, "cpu_percent": 3.1, "memory_total_mb": 3794},
        filesystems=[
            filesystem_payload(mount_point="/media/pi/REMOVE\\040ME", percent=40.0),
        ],
    )

    response = client.post(URL, json=payload)

    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"status", "server_registered", "pending_commands", "results_acknowledged"}
    (fs,) = client.get("/api/v1/servers/nas-1").json()["filesystems"]
    assert fs["mount_point"] == "/media/pi/REMOVE\\040ME"


def test_failing_collectors_are_shown_until_a_heartbeat_without_them(client: TestClient) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    failing = heartbeat_payload(
        timestamp=now - timedelta(minutes=1), collector_errors={"metrics": "psutil: no /proc/stat"}
    )
    client.post(URL, json=failing)

    shown = client.get("/api/v1/servers/nas-1").json()["collector_errors"]
    client.post(URL, json=heartbeat_payload(timestamp=now))
    cleared = client.get("/api/v1/servers/nas-1").json()["collector_errors"]

    assert shown == {"metrics": "psutil: no /proc/stat"}
    assert cleared is None


def test_the_hub_serves_its_own_percent_whatever_the_agent_computed(client: TestClient) -> None:
    filesystems = [
        # used / (used + available): 40 / 95 GiB, as df shows it.
        filesystem_payload(mount_point="/", percent=12.0),
        filesystem_payload(mount_point="/same", percent=42.11),
        filesystem_payload(
            mount_point="/empty", used_bytes=0, available_bytes=10 * GIB, percent=0.0
        ),
    ]
    body = json.dumps(heartbeat_payload(filesystems=filesystems), default=str)
    # An agent's -0.0 is 0.0 to Python, but would be served as "-0.0".
    body = body.replace('"percent": 0.0', '"percent": -0.0')

    assert client.post(URL, content=body).status_code == 200

    answer = client.get("/api/v1/servers/nas-1")
    percents = {fs["mount_point"]: fs["percent"] for fs in answer.json()["filesystems"]}
    assert percents == {"/": 42.11, "/same": 42.11, "/empty": 0.0}
    assert "-0.0" not in answer.text
