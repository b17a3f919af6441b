"""Scrape benchmark: GET /metrics from a real hub holding 100 servers x 10 filesystems, each
with a forecast, timed over HTTP in both formats (Prometheus asks for OpenMetrics first)."""

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from _hub import percentile, running_hub

from homelab_cmd.db.engine import make_engine
from homelab_cmd.services.forecast.trends import store_trends

SERVERS = 100
FILESYSTEMS = 10
SCRAPES = 50
GIB = 1024**3
PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)


def heartbeat(server: int) -> dict[str, object]:
    filesystems = []
    for fs in range(FILESYSTEMS):
        total = (200 + 100 * fs) * GIB
        used = total // 3 + server * GIB
        filesystems.append(
            {
                "mount_point": "/" if fs == 0 else f"/srv/disk{fs}",
                "device": f"/dev/sd{chr(97 + fs)}1",
                "fs_type": "ext4",
                "total_bytes": total,
                "used_bytes": used,
                "available_bytes": total - used - total // 20,
                "percent": round(100 * used / (total - total // 20), 2),
                "read_only": False,
                "inodes_total": 10_000_000,
                "inodes_used": 1_000_000 + server,
            }
        )
    return {
        "server_id": f"srv-{server:03d}",
        "hostname": f"srv-{server:03d}.home.lan",
        "timestamp": datetime.now(UTC).isoformat(),
        "agent_version": "0.1.0",
        "os_info": {"distribution": "Debian GNU/Linux", "version": "12", "kernel": "6.1.0"},
        "filesystems": filesystems,
    }


def seed(url: str, key: str, data_dir: Path) -> None:
    with httpx.Client(base_url=url, headers={"X-API-Key": key}) as client:
        for server in range(SERVERS):
            client.post("/api/v1/agents/heartbeat", json=heartbeat(server)).raise_for_status()
    engine = make_engine(f"sqlite:///{data_dir / 'homelab.db'}")
    now = datetime.now(UTC)
    rows = [
        {
            "filesystem_id": fs_id,
            "growth_bytes_per_day": GIB * (1 + fs_id % 7),
            "full_at": now + timedelta(days=30 + fs_id % 300),
            "computed_at": now,
        }
        for fs_id in range(1, SERVERS * FILESYSTEMS + 1)
    ]
    with engine.begin() as conn:
        store_trends(conn, rows)
    engine.dispose()


def hub_cpu_seconds(client: httpx.Client, url: str) -> float:
    """The hub process's CPU time so far, from its own process_cpu_seconds_total."""
    text = client.get(f"{url}/metrics", headers={"Accept": "text/plain"}).text
    line = next(x for x in text.splitlines() if x.startswith("process_cpu_seconds_total "))
    return float(line.split()[1])


def time_scrapes(url: str, key: str, accept: str) -> tuple[list[float], float, int]:
    """Latencies in ms, the hub's CPU ms per scrape, and the body size.

    CPU time is the figure to trust on a busy machine: wall time there includes waiting for a core.
    """
    timings: list[float] = []
    size = 0
    with httpx.Client(headers={"Authorization": f"Bearer {key}", "Accept": accept}) as client:
        cpu_before = hub_cpu_seconds(client, url)
        for _ in range(SCRAPES):
            started = time.perf_counter()
            response = client.get(f"{url}/metrics")
            timings.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            size = len(response.content)
        # The reading itself costs one scrape: subtract it.
        cpu = (hub_cpu_seconds(client, url) - cpu_before) * 1000 / (SCRAPES + 1)
    return timings, cpu, size


def samples(url: str, key: str) -> int:
    text = httpx.get(f"{url}/metrics", headers={"Authorization": f"Bearer {key}"}).text
    return sum(1 for line in text.splitlines() if not line.startswith("#"))


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        # Servers stay online however long the run takes on a busy machine.
        with running_hub(data_dir, {"HOMELAB_CMD_OFFLINE_AFTER_SECONDS": "86400"}) as (url, key):
            seed(url, key, data_dir)
            print(f"== Scrape: GET /metrics, {SERVERS} servers x {FILESYSTEMS} filesystems ==")
            for label, accept in (("text 0.0.4", "text/plain"), ("OpenMetrics", PROMETHEUS_ACCEPT)):
                time_scrapes(url, key, accept)  # warm-up
                timings, cpu, size = time_scrapes(url, key, accept)
                print(
                    f"{label:12} p50/p95/max {statistics.median(timings):.1f} / "
                    f"{percentile(timings, 95):.1f} / {max(timings):.1f} ms  (target < 100 ms), "
                    f"hub CPU {cpu:.1f} ms a scrape, {size:,} bytes, {samples(url, key):,} samples"
                )
            print(f"load average during the run: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
