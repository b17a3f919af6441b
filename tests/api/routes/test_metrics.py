"""History endpoints and the trend in server reads, through the real app."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from homelab_cmd.config import Settings
from homelab_cmd.services.maintenance.passes import run_maintenance
from tests.factories import GIB, filesystem_payload, heartbeat_payload, store_heartbeats

HEARTBEAT = "/api/v1/agents/heartbeat"
SERVER = "/api/v1/servers/nas-1"


def post_recent(client: TestClient, minutes_ago: list[int]) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    for minutes in minutes_ago:
        stamp = now - timedelta(minutes=minutes)
        assert client.post(HEARTBEAT, json=heartbeat_payload(timestamp=stamp)).status_code == 200


def test_one_filesystem_over_the_last_hour_is_raw(client: TestClient) -> None:
    post_recent(client, [50, 30, 10])

    response = client.get(
        f"{SERVER}/filesystems/metrics", params={"mount_point": "/data", "range": "1h"}
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["resolution"], body["range"], body["step_seconds"]) == ("raw", "1h", 5)
    (series,) = body["filesystems"]
    assert series["mount_point"] == "/data"
    assert [p["used_bytes"] for p in series["points"]] == [40 * GIB] * 3
    assert series["growth_bytes_per_day"] is None


def test_without_mount_point_every_filesystem_is_returned(client: TestClient) -> None:
    post_recent(client, [20, 10])

    body = client.get(f"{SERVER}/filesystems/metrics", params={"range": "6h"}).json()

    assert [s["mount_point"] for s in body["filesystems"]] == ["/", "/data"]


def test_server_metrics_default_to_a_day(client: TestClient) -> None:
    post_recent(client, [120, 60, 1])

    body = client.get(f"{SERVER}/metrics").json()

    assert (body["range"], body["resolution"]) == ("24h", "raw")
    assert [p["cpu_percent"] for p in body["points"]] == [12.5] * 3


@pytest.mark.parametrize("path", ["/metrics", "/filesystems/metrics"])
def test_unknown_range_is_422(client: TestClient, path: str) -> None:
    post_recent(client, [1])

    response = client.get(f"{SERVER}{path}", params={"range": "2w"})

    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"


def test_unknown_mount_point_is_404(client: TestClient) -> None:
    post_recent(client, [1])

    response = client.get(f"{SERVER}/filesystems/metrics", params={"mount_point": "/nope"})

    assert response.status_code == 404
    assert response.json()["error"] == "FilesystemNotFound"


def test_unknown_server_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/servers/ghost/metrics")

    assert response.status_code == 404
    assert response.json()["error"] == "ServerNotFound"


def test_history_needs_the_api_key(client: TestClient) -> None:
    response = client.get(f"{SERVER}/metrics", headers={"X-API-Key": "wrong"})

    assert response.status_code == 401


def test_filesystem_growing_a_gib_a_day_with_fifty_free_says_fifty_days(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    hours = 72
    for i in range(hours):
        left = hours - 1 - i  # hours before now
        used = (950 - left / 24) * GIB
        data = filesystem_payload(
            mount_point="/data",
            total_bytes=1000 * GIB,
            used_bytes=int(used),
            available_bytes=int(1000 * GIB - used),
        )
        beat = heartbeat_payload(timestamp=now - timedelta(hours=left), filesystems=[data])
        assert client.post(HEARTBEAT, json=beat).status_code == 200

    run_maintenance(engine, settings, now)

    server = client.get(SERVER).json()
    (fs,) = server["filesystems"]
    assert fs["growth_bytes_per_day"] == pytest.approx(GIB, rel=0.01)
    assert fs["days_until_full"] == pytest.approx(50, abs=1)
    # A clean line gives a range of one instant, but under 3 days of history is not confident.
    assert fs["full_at_earliest"] == fs["full_at"] == fs["full_at_latest"]
    assert (fs["confident"], fs["forecast_basis"], fs["forecast_reason"]) == (False, "trend", None)
    assert fs["peak_headroom_bytes"] is None
    listing = client.get("/api/v1/servers").json()["data"][0]
    assert listing["fullest_filesystem"]["days_until_full"] == pytest.approx(50, abs=1)
    week = client.get(f"{SERVER}/filesystems/metrics", params={"range": "7d"}).json()
    assert week["resolution"] == "hourly"
    assert week["filesystems"][0]["days_until_full"] == pytest.approx(50, abs=1)
    assert week["filesystems"][0]["full_at_latest"] == fs["full_at_latest"]
    assert week["filesystems"][0]["confident"] is False
    # The current hour, not yet rolled up, comes from raw: the week reaches now.
    assert len(week["filesystems"][0]["points"]) == hours


def test_fleet_view_names_the_disk_that_fills_first_when_it_is_not_the_fullest(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    beats = []
    for left in range(47, -1, -1):
        used = (500 - left / 24) * GIB  # grows 1 GiB a day, 500 GiB free at the end
        filling = filesystem_payload(
            mount_point="/data",
            total_bytes=1000 * GIB,
            used_bytes=int(used),
            available_bytes=int(1000 * GIB - used),
        )
        full_but_flat = filesystem_payload(
            mount_point="/archive",
            total_bytes=100 * GIB,
            used_bytes=95 * GIB,
            available_bytes=5 * GIB,
        )
        beats.append(
            heartbeat_payload(
                timestamp=now - timedelta(hours=left), filesystems=[filling, full_but_flat]
            )
        )
    store_heartbeats(engine, beats)
    run_maintenance(engine, settings, now)

    (card,) = client.get("/api/v1/servers").json()["data"]

    assert card["fullest_filesystem"]["mount_point"] == "/archive"
    assert card["fullest_filesystem"]["full_at"] is None
    assert card["soonest_full_filesystem"]["mount_point"] == "/data"
    assert card["soonest_full_filesystem"]["days_until_full"] == pytest.approx(500, rel=0.02)


def test_a_spool_replayed_nine_days_late_stays_in_the_30_day_history(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    late = (now - timedelta(days=9)).replace(minute=0, second=0)
    # The agent was away nine days; back, it replays its spool: every heartbeat gets a 2xx.
    for minutes in (5, 25, 45, 65):
        used = (40 + minutes) * GIB
        data = filesystem_payload(mount_point="/data", used_bytes=used, total_bytes=200 * GIB)
        beat = heartbeat_payload(timestamp=late + timedelta(minutes=minutes), filesystems=[data])
        assert client.post(HEARTBEAT, json=beat).status_code == 200

    # Maintenance rolls them up before raw retention (7 days) prunes them, and prunes them.
    run_maintenance(engine, settings, now)
    run_maintenance(engine, settings, now)

    month = client.get(
        f"{SERVER}/filesystems/metrics", params={"mount_point": "/data", "range": "30d"}
    ).json()
    points = {p["timestamp"]: p for p in month["filesystems"][0]["points"]}
    first = points[late.isoformat().replace("+00:00", "Z")]
    assert (first["sample_count"], first["used_bytes_min"], first["used_bytes_max"]) == (
        3,
        45 * GIB,
        85 * GIB,
    )
    assert sum(p["sample_count"] for p in points.values()) == 4
    year = client.get(
        f"{SERVER}/filesystems/metrics", params={"mount_point": "/data", "range": "12m"}
    ).json()
    assert sum(p["sample_count"] for p in year["filesystems"][0]["points"]) == 4
    hour = client.get(
        f"{SERVER}/filesystems/metrics", params={"mount_point": "/data", "range": "24h"}
    ).json()
    assert hour["filesystems"][0]["points"] == []
