"""GET /metrics: the fleet's snapshot in Prometheus text and OpenMetrics, parsed as scrapers do."""

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client.metrics_core import Metric
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_text
from sqlalchemy import Engine, select, update

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Filesystem, Server
from homelab_cmd.main import create_app
from homelab_cmd.services.forecast.trends import store_trends
from tests.api.routes.test_capacity_domains import PROXMOX, agent_heartbeat
from tests.conftest import API_KEY
from tests.factories import (
    GIB,
    filesystem_payload,
    heartbeat_payload,
    unreachable_filesystem_payload,
)
from tests.prometheus_tools import promtool

HEARTBEAT = "/api/v1/agents/heartbeat"
OPENMETRICS = "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5"
Labels = frozenset[tuple[str, str]]
Samples = dict[tuple[str, Labels], float]
Parser = Callable[[str], Iterable[Metric]]


def samples(text: str, parser: Parser = parse_text) -> Samples:
    """Every sample of an exposition, by (name, labels)."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in parser(text)
        for s in family.samples
    }


def fs_labels(
    mountpoint: str, device: str, fstype: str, server: str = "nas-1", domain: str | None = None
) -> Labels:
    """A filesystem's labels; an agent that reports no domains gets one `fs:` domain per mount."""
    labels = {
        "server": server,
        "mountpoint": mountpoint,
        "device": device,
        "fstype": fstype,
        "capacity_domain": domain or f"fs:{mountpoint}",
    }
    return frozenset(labels.items())


def _set_trend(engine: Engine, mount_point: str, growth: float, full_at: datetime) -> None:
    with engine.begin() as conn:
        fs_id = conn.execute(
            select(Filesystem.id).where(Filesystem.mount_point == mount_point)
        ).scalar_one()
        store_trends(
            conn,
            [
                {
                    "filesystem_id": fs_id,
                    "growth_bytes_per_day": growth,
                    "full_at": full_at,
                    "computed_at": datetime.now(UTC),
                }
            ],
        )


def test_scrape_reports_each_filesystem_with_node_exporter_names(
    client: TestClient, engine: Engine
) -> None:
    data = filesystem_payload(
        mount_point="/data",
        device="/dev/sdb1",
        fs_type="xfs",
        total_bytes=1000 * GIB,
        used_bytes=600 * GIB,
        available_bytes=350 * GIB,
        read_only=False,
        inodes_total=1_000_000,
        inodes_used=250_000,
    )
    client.post(HEARTBEAT, json=heartbeat_payload(filesystems=[filesystem_payload(), data]))
    full_at = datetime(2027, 3, 1, 12, tzinfo=UTC)
    _set_trend(engine, "/data", 2.5 * GIB, full_at)

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    got = samples(response.text)
    labels = fs_labels("/data", "/dev/sdb1", "xfs")
    assert got[("homelab_filesystem_size_bytes", labels)] == 1000 * GIB
    assert got[("homelab_filesystem_avail_bytes", labels)] == 350 * GIB
    assert got[("homelab_filesystem_used_bytes", labels)] == 600 * GIB
    assert got[("homelab_filesystem_files", labels)] == 1_000_000
    assert got[("homelab_filesystem_files_free", labels)] == 750_000
    assert got[("homelab_filesystem_readonly", labels)] == 0
    assert got[("homelab_filesystem_growth_bytes_per_day", labels)] == round(2.5 * GIB)
    assert got[("homelab_filesystem_predicted_full_timestamp_seconds", labels)] == (
        full_at.timestamp()
    )
    assert got[("homelab_filesystem_state", labels | {("state", "ok")})] == 1
    assert ("homelab_filesystem_state", labels | {("state", "unreachable")}) not in got
    # The root filesystem has no trend yet: no forecast series rather than a made-up one.
    root = fs_labels("/", "/dev/sda1", "ext4")
    assert ("homelab_filesystem_avail_bytes", root) in got
    assert ("homelab_filesystem_predicted_full_timestamp_seconds", root) not in got


def test_filesystems_of_one_pool_share_its_capacity_domain_label(client: TestClient) -> None:
    client.post(HEARTBEAT, json=agent_heartbeat("proxmox_two_pools_quota.mountinfo", PROXMOX))
    client.post(HEARTBEAT, json=heartbeat_payload(server_id="old-agent"))

    got = samples(client.get("/metrics").text)

    domains: dict[tuple[str, str], set[str]] = {}
    for name, labels in got:
        if name == "homelab_filesystem_size_bytes":
            label = dict(labels)
            domains.setdefault((label["server"], label["capacity_domain"]), set()).add(
                label["mountpoint"]
            )
    assert domains == {
        ("pve", "zfs:rpool"): {"/", "/rpool", "/rpool/data"},
        ("pve", "zfs:rpool/data/subvol-101-disk-0"): {"/rpool/data/subvol-101-disk-0"},
        ("pve", "dev:/dev/sda2"): {"/boot/efi"},
        ("pve", "zfs:tank"): {"/tank", "/tank/backups", "/srv/media"},
        # An agent that reports no domains: each filesystem is its own, keyed as in the API.
        ("old-agent", "fs:/"): {"/"},
        ("old-agent", "fs:/data"): {"/data"},
    }
    api_keys = {
        d["key"] for d in client.get("/api/v1/servers/old-agent").json()["capacity_domains"]
    }
    assert api_keys == {"fs:/", "fs:/data"}


def test_inode_forecast_is_served_where_there_is_one(client: TestClient, engine: Engine) -> None:
    spool = filesystem_payload(
        mount_point="/var/spool", inodes_total=6_553_600, inodes_used=6_000_000
    )
    client.post(HEARTBEAT, json=heartbeat_payload(filesystems=[filesystem_payload(), spool]))
    runs_out = datetime(2027, 1, 5, 6, tzinfo=UTC)
    with engine.begin() as conn:
        fs_id = conn.execute(
            select(Filesystem.id).where(Filesystem.mount_point == "/var/spool")
        ).scalar_one()
        row = {"filesystem_id": fs_id, "inodes_full_at": runs_out, "computed_at": datetime.now(UTC)}
        store_trends(conn, [row])

    got = samples(client.get("/metrics").text)

    name = "homelab_filesystem_files_predicted_full_timestamp_seconds"
    assert got[(name, fs_labels("/var/spool", "/dev/sda1", "ext4"))] == runs_out.timestamp()
    assert (name, fs_labels("/", "/dev/sda1", "ext4")) not in got


def test_scrape_describes_each_server(client: TestClient) -> None:
    before = datetime.now(UTC).timestamp()
    client.post(HEARTBEAT, json=heartbeat_payload())
    client.patch("/api/v1/servers/nas-1", json={"display_name": "Media NAS"})

    got = samples(client.get("/metrics").text)

    server = frozenset({("server", "nas-1")})
    assert got[("homelab_server_up", server)] == 1
    assert got[("homelab_server_last_seen_timestamp_seconds", server)] >= int(before)
    info = {
        "server": "nas-1",
        "hostname": "nas-1.home.lan",
        "display_name": "Media NAS",
        "agent_version": "0.1.0",
        "os": "Debian GNU/Linux",
        "os_version": "12",
        "kernel": "6.1.0-18-amd64",
        "arch": "x86_64",
    }
    assert got[("homelab_server_info", frozenset(info.items()))] == 1


def test_offline_server_reports_last_seen_but_no_stale_disk_figures(
    client: TestClient, engine: Engine
) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())
    client.post(HEARTBEAT, json=heartbeat_payload(server_id="pi", hostname="pi"))
    long_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    with engine.begin() as conn:
        conn.execute(update(Server).where(Server.id == "nas-1").values(last_seen_at=long_ago))

    got = samples(client.get("/metrics").text)

    nas = frozenset({("server", "nas-1")})
    assert got[("homelab_server_up", nas)] == 0
    assert got[("homelab_server_last_seen_timestamp_seconds", nas)] == long_ago.timestamp()
    servers_with_disks = {
        dict(labels)["server"] for name, labels in got if name.startswith("homelab_filesystem_")
    }
    assert servers_with_disks == {"pi"}


def test_unreachable_mount_reports_its_state_and_no_zero_sizes(client: TestClient) -> None:
    client.post(
        HEARTBEAT,
        json=heartbeat_payload(
            filesystems=[filesystem_payload(), unreachable_filesystem_payload()]
        ),
    )

    got = samples(client.get("/metrics").text)

    nfs = fs_labels("/mnt/nfs", "nas:/export", "nfs4")
    assert got[("homelab_filesystem_state", nfs | {("state", "unreachable")})] == 1
    assert ("homelab_filesystem_state", nfs | {("state", "ok")}) not in got
    assert ("homelab_filesystem_size_bytes", nfs) not in got
    assert ("homelab_filesystem_avail_bytes", nfs) not in got


def test_openmetrics_is_served_when_the_scraper_asks_for_it(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())

    response = client.get("/metrics", headers={"Accept": OPENMETRICS})

    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n")
    got = samples(response.text, parse_openmetrics)
    assert got[("homelab_filesystem_size_bytes", fs_labels("/", "/dev/sda1", "ext4"))] == 100 * GIB
    assert got[("homelab_server_up", frozenset({("server", "nas-1")}))] == 1


def test_hub_counts_heartbeats_received_and_rejected_by_reason(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())
    client.post(HEARTBEAT, json=heartbeat_payload(), headers={"X-API-Key": "wrong"})
    client.post(HEARTBEAT, json=heartbeat_payload(server_id="Not A Slug"))
    ahead = datetime.now(UTC) + timedelta(hours=1)
    client.post(HEARTBEAT, json=heartbeat_payload(timestamp=ahead))
    client.post(
        HEARTBEAT, content=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"}
    )

    got = samples(client.get("/metrics").text)

    assert got[("homelab_hub_heartbeats_received_total", frozenset())] == 5
    rejected = {
        dict(labels)["reason"]: value
        for (name, labels), value in got.items()
        if name == "homelab_hub_heartbeats_rejected_total"
    }
    assert rejected == {
        "unauthorized": 1,
        "validation_error": 1,
        "timestamp_in_future": 1,
        "payload_too_large": 1,
    }
    assert got[("homelab_hub_ingest_duration_seconds_count", frozenset())] == 1
    assert got[("homelab_hub_writer_queue_depth", frozenset())] == 0


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-Key": "wrong-key-0123456789"}, {"Authorization": "Bearer wrong-key-0123456789"}],
)
def test_scrape_without_the_right_credentials_is_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    response = client.get("/metrics", headers={"X-API-Key": "", **headers})

    assert response.status_code == 401
    assert response.json()["error"] == "Unauthorized"


def test_scrape_accepts_the_key_as_a_bearer_token(client: TestClient) -> None:
    response = client.get(
        "/metrics", headers={"X-API-Key": "", "Authorization": f"Bearer {API_KEY}"}
    )

    assert response.status_code == 200


def test_public_switch_opens_the_scrape_and_nothing_else(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"metrics_public": True}))
    with TestClient(app) as anonymous:
        assert anonymous.get("/metrics").status_code == 200
        assert anonymous.get("/api/v1/servers").status_code == 401


def test_scrape_passes_promtool_check_metrics(client: TestClient, engine: Engine) -> None:
    client.post(
        HEARTBEAT,
        json=heartbeat_payload(
            filesystems=[filesystem_payload(), unreachable_filesystem_payload()]
        ),
    )
    _set_trend(engine, "/", GIB, datetime(2027, 1, 1, tzinfo=UTC))
    client.post(HEARTBEAT, json=heartbeat_payload(), headers={"X-API-Key": "wrong"})

    result = promtool("check", "metrics", stdin=client.get("/metrics").content)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""


def test_a_scraper_asking_for_dots_escaping_gets_the_library_encoding(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())

    response = client.get(
        "/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0; escaping=dots"}
    )

    assert response.headers["content-type"].endswith("escaping=dots")
    assert 'homelab__server__up{server="nas-1"} 1.0' in response.text
