"""A real Prometheus scrapes a real hub fed by heartbeats and answers PromQL with its figures."""

import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.factories import GIB, filesystem_payload, heartbeat_payload
from tests.processes import free_port, running, running_hub, wait_until
from tests.prometheus_tools import tool

# One worker runs this module, so its costly fixture is built once (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("prometheus")
HUB = Path(sys.executable).parent / "homelab-cmd"
DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
API_KEY = "prometheus-test-key-0123456789"
HOURS = 48


def _history(url: str) -> None:
    """Two days of hourly heartbeats from a disk filling by 2 GiB an hour, ending now."""
    now = datetime.now(UTC).replace(microsecond=0)
    with httpx.Client(base_url=url, headers={"X-API-Key": API_KEY}, timeout=10) as hub:
        for hour in range(HOURS, -1, -1):
            used = (400 + 2 * (HOURS - hour)) * GIB
            data = filesystem_payload(
                mount_point="/data",
                device="/dev/sdb1",
                fs_type="xfs",
                total_bytes=1000 * GIB,
                used_bytes=used,
                available_bytes=1000 * GIB - used,
            )
            at = now - timedelta(hours=hour)
            response = hub.post(
                "/api/v1/agents/heartbeat",
                json=heartbeat_payload(timestamp=at, filesystems=[filesystem_payload(), data]),
            )
            response.raise_for_status()


def _forecast(url: str) -> dict[str, Any]:
    """The /data filesystem as the hub's API serves it, once its maintenance computed a trend."""
    found: dict[str, Any] = {}

    def computed() -> bool:
        nonlocal found
        server = httpx.get(f"{url}/api/v1/servers/nas-1", headers={"X-API-Key": API_KEY}).json()
        found = next(fs for fs in server["filesystems"] if fs["mount_point"] == "/data")
        return found["full_at"] is not None

    deadline = datetime.now(UTC) + timedelta(seconds=60)
    while not computed():
        if datetime.now(UTC) > deadline:
            pytest.fail(f"the hub computed no forecast: {found}")
        time.sleep(0.2)
    return found


def _read_token(url: str) -> str:
    """A read token for the scraper, made with the admin key as an operator would."""
    response = httpx.post(
        f"{url}/api/v1/tokens",
        json={"name": "prometheus", "role": "read"},
        headers={"Authorization": f"Bearer {API_KEY}"},
    )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


def _prometheus_config(tmp_path: Path, hub_url: str) -> Path:
    """The shipped example, pointed at the test hub and scraping every second."""
    config: dict[str, Any] = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    config["global"] = {"scrape_interval": "1s", "evaluation_interval": "1s"}
    config["rule_files"] = [str(DEPLOY / "rules" / "homelab-rules.yml")]
    job = config["scrape_configs"][0]
    job["authorization"] = {"type": "Bearer", "credentials": _read_token(hub_url)}
    job["static_configs"] = [{"targets": [hub_url.removeprefix("http://")]}]
    path = tmp_path / "prometheus.yml"
    path.write_text(yaml.safe_dump(config))
    return path


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A hub with history, and a Prometheus scraping it: (hub URL, Prometheus URL, its log)."""
    tmp_path = tmp_path_factory.mktemp("prometheus")
    data_dir = tmp_path / "hub"
    data_dir.mkdir()
    # Maintenance every second: the trend is computed right after the history arrives.
    with running_hub(
        HUB, data_dir, API_KEY, {"HOMELAB_CMD_MAINTENANCE_INTERVAL_SECONDS": "1"}
    ) as hub_url:
        _history(hub_url)
        port = free_port()
        command = [
            tool("prometheus"),
            f"--config.file={_prometheus_config(tmp_path, hub_url)}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ]
        url = f"http://127.0.0.1:{port}"
        log = tmp_path / "prometheus.log"
        with running(command, log, cwd=tmp_path) as proc:
            wait_until(lambda: httpx.get(f"{url}/-/ready").is_success, "prometheus", proc, log)
            yield hub_url, url, log


def _query(prometheus_url: str, promql: str) -> float:
    """The single value of an instant query, waiting for the first scrapes to arrive."""
    result: list[Any] = []

    def answered() -> bool:
        nonlocal result
        body = httpx.get(f"{prometheus_url}/api/v1/query", params={"query": promql}).json()
        result = body["data"]["result"]
        return len(result) > 0

    deadline = datetime.now(UTC) + timedelta(seconds=30)
    while not answered():
        if datetime.now(UTC) > deadline:
            pytest.fail(f"Prometheus returned nothing for {promql}")
        time.sleep(0.2)
    assert len(result) == 1, result
    return float(result[0]["value"][1])


def test_prometheus_reads_available_bytes_and_fill_date_from_the_hub(
    prometheus: tuple[str, str, Path],
) -> None:
    hub_url, prometheus_url, _ = prometheus
    data = _forecast(hub_url)

    selector = '{server="nas-1",mountpoint="/data",device="/dev/sdb1",fstype="xfs"}'
    available = _query(prometheus_url, f"homelab_filesystem_avail_bytes{selector}")
    full_at = _query(
        prometheus_url, f"homelab_filesystem_predicted_full_timestamp_seconds{selector}"
    )

    assert available == data["available_bytes"] == (1000 - 400 - 2 * HOURS) * GIB
    assert full_at == datetime.fromisoformat(data["full_at"]).timestamp()


def test_prometheus_loads_the_rules_and_scrapes_the_hub_healthily(
    prometheus: tuple[str, str, Path],
) -> None:
    _, prometheus_url, _ = prometheus
    assert _query(prometheus_url, 'homelab_server_up{server="nas-1"}') == 1

    targets = httpx.get(f"{prometheus_url}/api/v1/targets").json()["data"]["activeTargets"]
    rules = httpx.get(f"{prometheus_url}/api/v1/rules").json()["data"]["groups"]

    assert [(t["labels"]["job"], t["health"]) for t in targets] == [("homelab", "up")]
    assert {g["name"] for g in rules} == {"homelab-filesystems", "homelab-servers"}
    assert {r["health"] for g in rules for r in g["rules"]} <= {"ok", "unknown"}
