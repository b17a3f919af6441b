"""Caps and impossible values: each refusal is a clear 4xx that stores nothing."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Filesystem, FilesystemSample, Server, ServerMetric
from homelab_cmd.main import create_app
from tests.conftest import API_KEY
from tests.factories import GIB, filesystem_payload, heartbeat_payload
from tests.notify_sinks import wait_for

URL = "/api/v1/agents/heartbeat"


def _counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(
            int(conn.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Server, ServerMetric, Filesystem, FilesystemSample)
        )


@pytest.fixture
def capped(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """A hub with small caps, so tests can reach them."""
    settings = Settings(
        database_url=db_url,
        api_key=API_KEY,
        data_dir=tmp_path / "data",
        ui_dir=tmp_path / "no-ui",
        maintenance_interval_seconds=0,
        max_filesystems_per_heartbeat=3,
        max_filesystems_per_server=4,
        max_servers=2,
        max_collector_errors=2,
        max_collector_error_chars=40,
        max_history_series=2,
    )
    with TestClient(create_app(settings), headers={"X-API-Key": API_KEY}) as client:
        yield client


@pytest.fixture
def budgeted(db_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """A hub with small per-host budgets, so tests can reach them."""
    settings = Settings(
        database_url=db_url,
        api_key=API_KEY,
        data_dir=tmp_path / "data",
        ui_dir=tmp_path / "no-ui",
        maintenance_interval_seconds=0,
        max_heartbeats_per_minute=2,
        max_replay_heartbeats_per_minute=3,
        max_heartbeat_age_days=2,
        max_capacity_domain_depth=3,
    )
    with TestClient(create_app(settings), headers={"X-API-Key": API_KEY}) as client:
        yield client


def _warning(client: TestClient, server_id: str = "nas-1") -> str | None:
    warning: str | None = client.get(f"/api/v1/servers/{server_id}").json()["budget_warning"]
    return warning


def _ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def _disks(*names: str) -> list[dict[str, object]]:
    return [filesystem_payload(mount_point=f"/mnt/{n}", device=f"/dev/{n}") for n in names]


def test_used_above_total_is_a_422_naming_the_filesystem(
    client: TestClient, engine: Engine
) -> None:
    bad = filesystem_payload(mount_point="/srv/odd", total_bytes=10 * GIB, used_bytes=11 * GIB)
    payload = heartbeat_payload(filesystems=[filesystem_payload(), bad])

    response = client.post(URL, json=payload)

    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "ValidationError"
    assert "'/srv/odd'" in body["detail"]
    assert "used_bytes" in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "filesystems", 1]
    assert _counts(engine) == (0, 0, 0, 0)


def test_inodes_used_above_total_is_a_422_naming_the_filesystem(
    client: TestClient, engine: Engine
) -> None:
    bad = filesystem_payload(mount_point="/srv/odd", inodes_total=10, inodes_used=20)
    payload = heartbeat_payload(filesystems=[filesystem_payload(), bad])

    response = client.post(URL, json=payload)

    assert response.status_code == 422
    body = response.json()
    assert "'/srv/odd'" in body["detail"]
    assert "inodes_used (20)" in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "filesystems", 1]
    assert _counts(engine) == (0, 0, 0, 0)


def test_inodes_used_equal_to_total_is_stored(client: TestClient, engine: Engine) -> None:
    full = filesystem_payload(mount_point="/srv/full", inodes_total=10, inodes_used=10)

    response = client.post(URL, json=heartbeat_payload(filesystems=[full]))

    assert response.status_code == 200, response.text
    assert _counts(engine) == (1, 1, 1, 1)


def test_the_hub_derives_percent_as_df_does(client: TestClient) -> None:
    # The original agent divides by total (40 %); df divides by used + available (40/95).
    fs = filesystem_payload(used_bytes=40 * GIB, available_bytes=55 * GIB, percent=40.0)
    client.post(URL, json=heartbeat_payload(filesystems=[fs])).raise_for_status()

    server = client.get("/api/v1/servers/nas-1").json()

    assert server["filesystems"][0]["percent"] == 42.11


def test_too_many_filesystems_in_one_heartbeat_is_a_413_storing_nothing(
    capped: TestClient, engine: Engine
) -> None:
    response = capped.post(URL, json=heartbeat_payload(filesystems=_disks("a", "b", "c", "d")))

    assert response.status_code == 413
    assert response.json()["error"] == "TooManyFilesystems"
    assert "MAX_FILESYSTEMS_PER_HEARTBEAT" in response.json()["detail"]
    assert _counts(engine) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "errors",
    [{"a": "x", "b": "y", "c": "z"}, {"packages": "apt " * 20}],
    ids=["too-many", "too-long"],
)
def test_collector_errors_over_the_caps_are_a_413_storing_nothing(
    capped: TestClient, engine: Engine, errors: dict[str, str]
) -> None:
    response = capped.post(URL, json=heartbeat_payload(collector_errors=errors))

    assert response.status_code == 413
    assert response.json()["error"] == "CollectorErrorsTooLarge"
    assert _counts(engine) == (0, 0, 0, 0)


def test_a_server_over_the_cap_is_a_409_storing_nothing_while_known_ones_go_on(
    capped: TestClient, engine: Engine
) -> None:
    for name in ("one", "two"):
        capped.post(URL, json=heartbeat_payload(server_id=name)).raise_for_status()

    refused = capped.post(URL, json=heartbeat_payload(server_id="three"))
    known = capped.post(
        URL,
        json=heartbeat_payload(
            server_id="one", timestamp=datetime.now(UTC) - timedelta(seconds=30)
        ),
    )

    assert refused.status_code == 409
    assert refused.json()["error"] == "ServerLimitReached"
    assert known.status_code == 200
    assert _counts(engine)[:2] == (2, 3)
    assert capped.get("/api/v1/servers/three").status_code == 404


def test_filesystems_over_the_per_server_cap_retire_the_ones_seen_longest_ago(
    capped: TestClient, engine: Engine
) -> None:
    start = datetime.now(UTC) - timedelta(minutes=10)
    for minute, disks in enumerate((("a", "b"), ("c", "d"), ("e", "f"))):
        payload = heartbeat_payload(
            filesystems=_disks(*disks), timestamp=start + timedelta(minutes=minute)
        )
        capped.post(URL, json=payload).raise_for_status()

    with engine.connect() as conn:
        mounts = sorted(conn.scalars(select(Filesystem.mount_point)))
    assert mounts == ["/mnt/c", "/mnt/d", "/mnt/e", "/mnt/f"]
    server = capped.get("/api/v1/servers/nas-1").json()
    assert [fs["mount_point"] for fs in server["filesystems"]] == ["/mnt/e", "/mnt/f"]
    # Vanished ones count towards the cap, and are the ones that went.
    assert [fs["mount_point"] for fs in server["vanished_filesystems"]] == ["/mnt/c", "/mnt/d"]
    wait_for(lambda: _warning(capped) is not None, "the retirement noted on the server")
    assert "MAX_FILESYSTEMS_PER_SERVER" in str(_warning(capped))


def test_filesystem_history_comes_in_pages_of_the_series_cap(capped: TestClient) -> None:
    payload = heartbeat_payload(filesystems=_disks("a", "b", "c"))
    capped.post(URL, json=payload).raise_for_status()
    url = "/api/v1/servers/nas-1/filesystems/metrics?range=1h"

    first = capped.get(url).json()
    second = capped.get(f"{url}&offset={first['next_offset']}").json()

    assert [s["mount_point"] for s in first["filesystems"]] == ["/mnt/a", "/mnt/b"]
    assert (first["total_filesystems"], first["next_offset"]) == (3, 2)
    assert [s["mount_point"] for s in second["filesystems"]] == ["/mnt/c"]
    assert second["next_offset"] is None


def test_live_heartbeats_past_the_rate_budget_get_429_and_store_nothing(
    budgeted: TestClient, engine: Engine
) -> None:
    for second in (1, 2):
        budgeted.post(
            URL, json=heartbeat_payload(timestamp=_ago(seconds=10 * second))
        ).raise_for_status()

    refused = budgeted.post(URL, json=heartbeat_payload(timestamp=_ago(seconds=30)))

    assert refused.status_code == 429
    assert refused.json()["error"] == "HeartbeatRateLimited"
    assert "HOMELAB_CMD_MAX_HEARTBEATS_PER_MINUTE" in refused.json()["detail"]
    assert int(refused.headers["Retry-After"]) >= 1
    assert _counts(engine)[:2] == (1, 2)
    wait_for(lambda: _warning(budgeted) is not None, "the refusal noted on the server")
    server = budgeted.get("/api/v1/servers/nas-1").json()
    assert "MAX_HEARTBEATS_PER_MINUTE" in server["budget_warning"]
    assert server["budget_warning_at"] is not None


def test_spool_replays_have_their_own_budget_beside_live_heartbeats(
    budgeted: TestClient, engine: Engine
) -> None:
    for second in (1, 2):
        budgeted.post(
            URL, json=heartbeat_payload(timestamp=_ago(seconds=10 * second))
        ).raise_for_status()

    replays = [
        budgeted.post(URL, json=heartbeat_payload(timestamp=_ago(hours=5, minutes=m))).status_code
        for m in range(4)
    ]

    assert replays == [200, 200, 200, 429]
    assert _counts(engine)[1] == 5


def test_a_stream_of_refusals_is_noted_once_a_minute_not_once_each(
    budgeted: TestClient, engine: Engine
) -> None:
    for second in (1, 2):
        budgeted.post(
            URL, json=heartbeat_payload(timestamp=_ago(seconds=10 * second))
        ).raise_for_status()
    budgeted.post(URL, json=heartbeat_payload(timestamp=_ago(seconds=30)))
    wait_for(lambda: _warning(budgeted) is not None, "the first refusal noted")
    first = budgeted.get("/api/v1/servers/nas-1").json()["budget_warning_at"]

    statuses = {
        budgeted.post(URL, json=heartbeat_payload(timestamp=_ago(days=3, minutes=m))).status_code
        for m in range(20)
    }

    assert statuses == {422}
    assert budgeted.get("/api/v1/servers/nas-1").json()["budget_warning_at"] == first
    assert "MAX_HEARTBEATS_PER_MINUTE" in str(_warning(budgeted))


def test_a_heartbeat_older_than_the_age_budget_is_a_422_naming_the_setting(
    budgeted: TestClient, engine: Engine
) -> None:
    response = budgeted.post(URL, json=heartbeat_payload(timestamp=_ago(days=2, minutes=1)))

    assert response.status_code == 422
    assert response.json()["error"] == "HeartbeatTooOld"
    assert "HOMELAB_CMD_MAX_HEARTBEAT_AGE_DAYS" in response.json()["detail"]
    # Nothing stored, and no server row for a server the hub never heard from.
    assert _counts(engine) == (0, 0, 0, 0)


def _chain(depth: int, loop: bool = False) -> list[dict[str, object]]:
    keys = [f"zfs:tank/{'d/' * i}x" for i in range(depth)]
    return [
        {
            "key": key,
            "kind": "zfs_dataset",
            "members": [],
            "parent": keys[i - 1] if i else (keys[-1] if loop else None),
        }
        for i, key in enumerate(keys)
    ]


@pytest.mark.parametrize(
    ("domains", "detail"),
    [
        (_chain(4), "HOMELAB_CMD_MAX_CAPACITY_DOMAIN_DEPTH"),
        (_chain(3, loop=True), "leads back to itself"),
    ],
    ids=["too-deep", "loop"],
)
def test_capacity_domains_nested_past_the_cap_are_a_422_storing_nothing(
    budgeted: TestClient, engine: Engine, domains: list[dict[str, object]], detail: str
) -> None:
    response = budgeted.post(URL, json=heartbeat_payload(capacity_domains=domains))

    assert response.status_code == 422
    assert response.json()["error"] == "CapacityDomainsTooDeep"
    assert detail in response.json()["detail"]
    assert _counts(engine) == (0, 0, 0, 0)


def test_capacity_domains_as_deep_as_the_cap_are_stored(
    budgeted: TestClient, engine: Engine
) -> None:
    response = budgeted.post(URL, json=heartbeat_payload(capacity_domains=_chain(3)))

    assert response.status_code == 200, response.text
    domains = budgeted.get("/api/v1/servers/nas-1").json()["capacity_domains"]
    assert [d["counted"] for d in domains] == [True, False, False]
