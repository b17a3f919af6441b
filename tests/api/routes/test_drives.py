"""Drives and pools through the API: on the server, the fleet's worst first, a drive's history."""

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from homelab_cmd.config import Settings
from homelab_cmd.main import create_app
from tests.conftest import API_KEY
from tests.factories import drive_payload, heartbeat_payload, pool_payload

HEARTBEAT = "/api/v1/agents/heartbeat"
NOW = datetime.now(UTC).replace(microsecond=0)


def beat(minutes_ago: int, server_id: str = "nas-1", **fields: object) -> dict[str, object]:
    return heartbeat_payload(
        server_id=server_id, timestamp=NOW - timedelta(minutes=minutes_ago), **fields
    )


def test_a_server_without_drive_data_has_empty_drives_and_pools(client: TestClient) -> None:
    assert client.post(HEARTBEAT, json=beat(1)).status_code == 200

    server = client.get("/api/v1/servers/nas-1").json()

    assert (server["drives"], server["pools"]) == ([], [])


def test_a_server_shows_its_drives_and_pools_with_health_and_reasons(client: TestClient) -> None:
    drives = [drive_payload(NOW - timedelta(minutes=2), {5: 0, 197: 3})]
    assert (
        client.post(HEARTBEAT, json=beat(2, drives=drives, pools=[pool_payload()])).status_code
        == 200
    )

    server = client.get("/api/v1/servers/nas-1").json()

    (drive,) = server["drives"]
    assert (drive["health"], drive["reasons"]) == (
        "warning",
        ["pending sectors (197): 3 (warns from 1)"],
    )
    assert (drive["model"], drive["filesystems"], drive["temperature_celsius"]) == (
        "ST16000NM001G-2KK103",
        ["/srv/media"],
        34,
    )
    assert drive["attributes"] == {"ata_5": 0, "ata_197": 3}
    assert drive["power_on_hours"] == 13114
    (pool,) = server["pools"]
    assert (pool["name"], pool["state"], pool["health"]) == ("tank", "ONLINE", "ok")


def test_a_heartbeat_without_drives_keeps_the_last_drive_list(client: TestClient) -> None:
    drives = [drive_payload(NOW - timedelta(minutes=3))]
    client.post(HEARTBEAT, json=beat(3, drives=drives))
    client.post(HEARTBEAT, json=beat(2))

    assert len(client.get("/api/v1/servers/nas-1").json()["drives"]) == 1


def test_the_fleet_list_puts_the_worst_drive_first(client: TestClient) -> None:
    good = drive_payload(NOW - timedelta(minutes=2), id="wwn:0x1", name="/dev/sda")
    bad = drive_payload(
        NOW - timedelta(minutes=2), id="wwn:0x2", name="/dev/sdb", smart_passed=False
    )
    client.post(HEARTBEAT, json=beat(2, drives=[good]))
    client.post(HEARTBEAT, json=beat(2, server_id="nas-2", drives=[bad]))

    listed = client.get("/api/v1/drives").json()

    assert listed["count"] == 2
    assert [(d["server_id"], d["health"]) for d in listed["data"]] == [
        ("nas-2", "failed"),
        ("nas-1", "passed"),
    ]


def test_a_drives_history_reads_back_each_reading_in_the_range(client: TestClient) -> None:
    for hours in (30, 2, 1):
        at = NOW - timedelta(hours=hours)
        drive = drive_payload(at, {5: 8 + (30 - hours) // 10}, temperature_celsius=30 + hours)
        client.post(HEARTBEAT, json=heartbeat_payload(timestamp=at, drives=[drive]))
    drive_id = client.get("/api/v1/servers/nas-1").json()["drives"][0]["id"]

    day = client.get(f"/api/v1/servers/nas-1/drives/{drive_id}/history", params={"range": "24h"})
    week = client.get(f"/api/v1/servers/nas-1/drives/{drive_id}/history", params={"range": "7d"})

    assert [(p["temperature_celsius"], p["attributes"]["ata_5"]) for p in day.json()["points"]] == [
        (32, 10),
        (31, 10),
    ]
    assert len(week.json()["points"]) == 3


def test_history_of_an_unknown_drive_or_range_is_refused_clearly(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(1, drives=[drive_payload(NOW - timedelta(minutes=1))]))
    drive_id = client.get("/api/v1/servers/nas-1").json()["drives"][0]["id"]

    missing = client.get("/api/v1/servers/nas-1/drives/999999/history")
    other = client.get(f"/api/v1/servers/nas-2/drives/{drive_id}/history")
    too_long = client.get(f"/api/v1/servers/nas-1/drives/{drive_id}/history?range=2y")
    huge = client.get("/api/v1/servers/nas-1/drives/99999999999999999999/history")

    assert (missing.status_code, missing.json()["error"]) == (404, "DriveNotFound")
    assert other.status_code == 404
    assert too_long.status_code == 422
    assert huge.status_code == 422


def test_a_heartbeat_with_a_malformed_drive_is_refused_and_stores_nothing(
    client: TestClient,
) -> None:
    bad = drive_payload(NOW, temperature_celsius="hot")
    too_many = [drive_payload(NOW, id=f"wwn:{i}") for i in range(513)]

    assert client.post(HEARTBEAT, json=beat(1, drives=[bad])).status_code == 422
    assert client.post(HEARTBEAT, json=beat(1, drives=too_many)).status_code == 422
    assert client.get("/api/v1/drives").json()["count"] == 0


def series(name: str, value: float, **labels: str) -> str:
    """One exposition line as the hub writes it (labels sorted)."""
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}} {value!r}"


def test_scrape_reports_drive_and_pool_gauges(client: TestClient) -> None:
    drive = drive_payload(NOW - timedelta(minutes=1), {5: 0, 197: 3})
    pool = pool_payload(state="DEGRADED", degraded=True)
    client.post(HEARTBEAT, json=beat(1, drives=[drive], pools=[pool]))

    lines = client.get("/metrics").text.splitlines()

    sda = {
        "server": "nas-1",
        "drive": "wwn:0x5000c500499602d2",
        "device": "/dev/sda",
        "model": "ST16000NM001G-2KK103",
        "serial": "ZL2ABC12",
        "kind": "hdd",
    }
    tank = {"server": "nas-1", "pool": "tank", "kind": "zfs"}
    assert series("homelab_drive_health", 1.0, **sda, health="warning") in lines
    assert series("homelab_drive_temperature_celsius", 34.0, **sda) in lines
    assert series("homelab_drive_power_on_hours", 13114.0, **sda) in lines
    assert series("homelab_drive_attribute", 3.0, **sda, attribute="ata_197") in lines
    assert series("homelab_pool_health", 1.0, **tank, health="warning") in lines
    assert series("homelab_pool_degraded", 1.0, **tank) in lines
    assert series("homelab_pool_state", 1.0, **tank, state="DEGRADED") in lines


def test_a_pools_scrub_age_is_judged_on_the_configured_days(settings: Settings) -> None:
    """`HOMELAB_CMD_SCRUB_MAX_AGE_DAYS` decides the server page's and the scrape's verdict, as it
    does the alert's."""
    scrubbed = (NOW - timedelta(days=40)).isoformat()
    scan = {"function": "scrub", "state": "finished", "errors": 0, "ended_at": scrubbed}
    verdicts: dict[int, tuple[str, str]] = {}
    for days in (35, 60):
        app = create_app(settings.model_copy(update={"scrub_max_age_days": days}))
        with TestClient(app, headers={"X-API-Key": API_KEY}) as client:
            assert client.post(HEARTBEAT, json=beat(1, pools=[pool_payload(scan=scan)])).is_success
            (pool,) = client.get("/api/v1/servers/nas-1").json()["pools"]
            (gauge,) = [
                line
                for line in client.get("/metrics").text.splitlines()
                if line.startswith("homelab_pool_health{")
            ]
            verdicts[days] = (pool["health"], re.findall(r'health="(\w+)"', gauge)[0])

    assert verdicts[35][0] != "ok" and verdicts[35][1] != "ok"
    assert verdicts[60] == ("ok", "ok")
