"""Scrape benchmark: GET /metrics from a real hub holding N servers x 10 filesystems (1,000 by
default), each filesystem with a forecast, timed over HTTP in both formats (Prometheus asks for
OpenMetrics first).

Two cases: a quiet fleet (nothing written between scrapes), and one where every server reported
since the previous scrape (a 60 s agent interval scraped every 60 s). The hub's CPU per scrape is
read from its /proc/PID/stat around each request: wall time on a busy machine is mostly waiting
for a core, CPU time much less so.

    .venv/bin/python bench/scrape.py [--servers 1000] [--scrapes 30] [--changed-rounds 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from _hub import percentile, running_hub

from homelab_cmd.db.engine import make_engine
from homelab_cmd.services.forecast.trends import store_trends

FILESYSTEMS = 10
GIB = 1024**3
TICK = os.sysconf("SC_CLK_TCK")
PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
    "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)
FORMATS = (("text 0.0.4", "text/plain"), ("OpenMetrics", PROMETHEUS_ACCEPT))


def heartbeat(server: int, at: datetime) -> dict[str, object]:
    filesystems = []
    for fs in range(FILESYSTEMS):
        total = (200 + 100 * fs) * GIB
        used = total // 3 + server * GIB // 10
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
        "server_id": f"srv-{server:04d}",
        "hostname": f"srv-{server:04d}.home.lan",
        "timestamp": at.isoformat(),
        "agent_version": "0.1.0",
        "os_info": {"distribution": "Debian GNU/Linux", "version": "12", "kernel": "6.1.0"},
        "filesystems": filesystems,
    }


def report_all(client: httpx.Client, servers: int, at: datetime) -> None:
    """One heartbeat from every server, stamped `at`."""
    for server in range(servers):
        client.post("/api/v1/agents/heartbeat", json=heartbeat(server, at)).raise_for_status()


def seed(url: str, key: str, data_dir: Path, servers: int) -> None:
    with httpx.Client(base_url=url, headers={"X-API-Key": key}) as client:
        report_all(client, servers, datetime.now(UTC) - timedelta(seconds=60))
    engine = make_engine(f"sqlite:///{data_dir / 'homelab.db'}")
    now = datetime.now(UTC)
    rows = [
        {
            "filesystem_id": fs_id,
            "growth_bytes_per_day": GIB * (1 + fs_id % 7),
            "full_at": now + timedelta(days=30 + fs_id % 300),
            "computed_at": now,
        }
        for fs_id in range(1, servers * FILESYSTEMS + 1)
    ]
    with engine.begin() as conn:
        store_trends(conn, rows)
    engine.dispose()


def hub_pid(port: int) -> int:
    """The hub process serving `port`: the `homelab-cmd serve` started with that port."""
    wanted = f"HOMELAB_CMD_PORT={port}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"serve" in cmdline and wanted in environ.split(b"\0"):
            return int(entry.name)
    raise SystemExit(f"no hub process found for port {port}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process (all its threads), from /proc/PID/stat."""
    text = Path(f"/proc/{pid}/stat").read_text()
    # proc(5): utime and stime are fields 14 and 15; the name in parentheses may hold spaces.
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK


@dataclass
class Run:
    wall_ms: list[float]
    cpu_ms: float
    size: int


def time_scrapes(client: httpx.Client, pid: int, accept: str, scrapes: int) -> Run:
    """Latencies in ms, the hub's CPU ms per scrape (over the whole loop) and the body size."""
    wall: list[float] = []
    size = 0
    cpu_before = cpu_seconds(pid)
    for _ in range(scrapes):
        started = time.perf_counter()
        response = client.get("/metrics", headers={"Accept": accept})
        wall.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        size = len(response.content)
    return Run(wall, (cpu_seconds(pid) - cpu_before) * 1000 / scrapes, size)


def time_after_changes(
    client: httpx.Client, agent: httpx.Client, pid: int, servers: int, rounds: int
) -> Run:
    """Each round: every server reports, then one scrape; CPU is read around the scrape only."""
    wall: list[float] = []
    cpu = 0.0
    size = 0
    for n in range(rounds):
        report_all(agent, servers, datetime.now(UTC) - timedelta(seconds=30 - n))
        time.sleep(0.5)  # let the work that follows heartbeats (alert passes) settle
        before = cpu_seconds(pid)
        started = time.perf_counter()
        response = client.get("/metrics", headers={"Accept": PROMETHEUS_ACCEPT})
        wall.append((time.perf_counter() - started) * 1000)
        cpu += cpu_seconds(pid) - before
        response.raise_for_status()
        size = len(response.content)
    return Run(wall, cpu * 1000 / rounds, size)


def samples(text: str) -> int:
    return sum(1 for line in text.splitlines() if line and not line.startswith("#"))


def line(label: str, run: Run, count: int) -> str:
    per_sample = run.cpu_ms * 1000 / count if count else float("nan")
    return (
        f"{label:22} p50/p95/max {statistics.median(run.wall_ms):7.1f} / "
        f"{percentile(run.wall_ms, 95):7.1f} / {max(run.wall_ms):7.1f} ms, "
        f"hub CPU {run.cpu_ms:6.1f} ms a scrape ({per_sample:.2f} µs a sample), "
        f"{run.size:,} bytes"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--scrapes", type=int, default=30)
    parser.add_argument("--changed-rounds", type=int, default=5)
    args = parser.parse_args()
    # The machine may be shared: its load beside the figures says how far to trust wall times.
    print(f"load average at the start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        # Servers stay online however long the run takes on a busy machine.
        env = {"HOMELAB_CMD_OFFLINE_AFTER_SECONDS": "86400"}
        with running_hub(data_dir, env) as (url, key):
            pid = hub_pid(int(url.rsplit(":", 1)[1]))
            seed(url, key, data_dir, args.servers)
            auth = {"Authorization": f"Bearer {key}"}
            with (
                httpx.Client(base_url=url, headers=auth, timeout=60) as client,
                httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as agent,
            ):
                count = samples(client.get("/metrics").text)
                print(
                    f"== Scrape: GET /metrics, {args.servers} servers x {FILESYSTEMS} "
                    f"filesystems, {count:,} samples (target p95 < 100 ms, "
                    "hub CPU < 50 ms a scrape) =="
                )
                for label, accept in FORMATS:
                    time_scrapes(client, pid, accept, 3)  # warm-up
                    run = time_scrapes(client, pid, accept, args.scrapes)
                    print(line(f"{label}, quiet", run, count))
                if args.changed_rounds:
                    run = time_after_changes(client, agent, pid, args.servers, args.changed_rounds)
                    print(line("OpenMetrics, all new", run, count))
                rss = next(
                    int(x.split()[1])
                    for x in Path(f"/proc/{pid}/status").read_text().splitlines()
                    if x.startswith("VmRSS:")
                )
                print(f"hub RSS after the run: {rss / 1024:.0f} MiB")
            print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
