"""History benchmark: 100 servers x 10 filesystems x 7 days of raw samples at 60 s plus full
hourly (90 days) and daily (12 months) tiers in SQLite, then a real hub process is timed over HTTP.

Rows are written in time order, as the ingest writes them, so pages split as they would in use.
"""

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from _hub import percentile, running_hub

from homelab_cmd.config import Settings
from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from homelab_cmd.domain.filesystems import mount_key
from homelab_cmd.services.forecast.trends import update_trends
from homelab_cmd.services.ingest.store import INODE_SAMPLE_SECONDS
from homelab_cmd.services.maintenance.passes import prune
from homelab_cmd.services.tiers.rollups import lock_maintenance, run_rollups

SERVERS = 100
FILESYSTEMS = 10
RAW_DAYS = 7
HOURLY_DAYS = 90
DAILY_DAYS = 365
GIB = 1024**3
MINUTE, HOUR, DAY = 60, 3600, 86400
MOUNTS = ["/"] + [f"/srv/disk{i}" for i in range(1, FILESYSTEMS)]


def fs_figures(fs: int, t: int) -> tuple[int, int, int]:
    """(total, used, available) of filesystem `fs` at epoch second `t`: slow growth plus jitter."""
    total = (200 + 100 * (fs % 7)) * GIB
    used = (
        total // 3
        + (fs % 5 + 1) * ((t - 1_750_000_000) // 60) * 20_000
        + ((t * 2654435761 + fs) % 100_003) * 997
    )
    return total, used, total - used - total // 20


def inode_figures(fs: int, t: int) -> tuple[int, int]:
    """(used, total) inodes of filesystem `fs` at `t`: ext4's one inode per 16 KiB, a few
    million in use, slowly growing."""
    total, _, _ = fs_figures(fs, t)
    used = 1_000_000 * (fs % 5 + 1) + ((t - 1_750_000_000) // 60) * (fs % 3)
    return used, total // 16384


SERVER_IDS = [f"srv-{s:03d}" for s in range(SERVERS)]
FS_IDS = list(range(1, SERVERS * FILESYSTEMS + 1))


def seed_inventory(conn: sqlite3.Connection, end: int) -> None:
    """Servers with their latest snapshot, and their filesystems."""
    # The format SQLAlchemy writes for DateTime columns on SQLite.
    now_iso = datetime.fromtimestamp(end, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with conn:
        for s, sid in enumerate(SERVER_IDS):
            snapshot = []
            for i, mount in enumerate(MOUNTS):
                fs = s * FILESYSTEMS + i + 1
                total, used, avail = fs_figures(fs, end)
                device = f"/dev/sd{chr(97 + i)}1"
                snapshot.append(
                    {
                        "mount_point": mount,
                        "device": device,
                        "fs_type": "ext4",
                        "total_bytes": total,
                        "used_bytes": used,
                        "available_bytes": avail,
                        "percent": round(100 * used / (used + avail), 2),
                    }
                )
                conn.execute(
                    "INSERT INTO filesystem (id, server_id, mount_key, mount_point, device, "
                    "fs_type, first_seen_at, last_seen_at) VALUES (?,?,?,?,?,?,?,?)",
                    (fs, sid, mount_key(mount), mount, device, "ext4", now_iso, now_iso),
                )
            metrics = {"cpu_percent": 12.5, "memory_percent": 40.0, "load_1m": 0.5}
            conn.execute(
                "INSERT INTO server (id, hostname, created_at, last_seen_at, latest_heartbeat_at, "
                "latest_metrics, filesystems, os_info) VALUES (?,?,?,?,?,?,?,?)",
                (sid, f"{sid}.lan", end, end, end, json.dumps(metrics),
                 json.dumps(snapshot), None),
            )  # fmt: skip


def raw_fs(start: int, stop: int) -> Iterator[tuple[object, ...]]:
    for t in range(start, stop, MINUTE):
        for fs in FS_IDS:
            total, used, avail = fs_figures(fs, t)
            # The ingest keeps inode figures once every INODE_SAMPLE_SECONDS.
            kept = t % INODE_SAMPLE_SECONDS < MINUTE
            yield fs, t, total, used, avail, *(inode_figures(fs, t) if kept else (None, None))


def raw_server(start: int, stop: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(1)
    for t in range(start, stop, MINUTE):
        for sid in SERVER_IDS:
            cpu = rng.random() * 100
            yield (sid, t, cpu, 40.0, 8 * GIB, 3 * GIB, 42.0, 0.5, 0.4, 0.3, t * 1000, t * 500,
                   10**7)  # fmt: skip


def rolled_fs(start: int, stop: int, width: int) -> Iterator[tuple[object, ...]]:
    for t in range(start - start % width, stop - stop % width, width):
        for fs in FS_IDS:
            total, used, avail = fs_figures(fs, t)
            inodes, inodes_total = inode_figures(fs, t)
            yield (fs, t, width // 60, used - GIB // 10, used, used + GIB // 10, avail, total,
                   inodes - 100, inodes, inodes + 100, inodes_total)  # fmt: skip


def rolled_server(start: int, stop: int, width: int) -> Iterator[tuple[object, ...]]:
    for t in range(start - start % width, stop - stop % width, width):
        for sid in SERVER_IDS:
            yield (sid, t, width // 60, 1.0, 20.0, 95.0, 30.0, 40.0, 50.0, 0.1, 0.5, 2.0, 0.4,
                   0.3, t * 1000, t * 500)  # fmt: skip


def seed(db: Path, end: int) -> dict[str, int]:
    """Fill the migrated database; returns rows per table."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    seed_inventory(conn, end)
    counts: dict[str, int] = {}
    plans = [
        ("filesystem_sample", 7, raw_fs(end - RAW_DAYS * DAY, end)),
        ("server_metric", 13, raw_server(end - RAW_DAYS * DAY, end)),
        ("filesystem_hourly", 12, rolled_fs(end - HOURLY_DAYS * DAY, end, HOUR)),
        ("server_metric_hourly", 16, rolled_server(end - HOURLY_DAYS * DAY, end, HOUR)),
        ("filesystem_daily", 12, rolled_fs(end - DAILY_DAYS * DAY, end, DAY)),
        ("server_metric_daily", 16, rolled_server(end - DAILY_DAYS * DAY, end, DAY)),
    ]
    for table, width, rows in plans:
        sql = f"INSERT INTO {table} VALUES ({','.join('?' * width)})"
        started = time.perf_counter()
        n = 0
        batch: list[tuple[object, ...]] = []
        with conn:
            for row in rows:
                batch.append(row)
                if len(batch) == 200_000:
                    conn.executemany(sql, batch)
                    n += len(batch)
                    batch.clear()
            conn.executemany(sql, batch)
            n += len(batch)
        counts[table] = n
        print(f"  seeded {table}: {n:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    return counts


def disk_usage(db: Path, counts: dict[str, int]) -> dict[str, float]:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    usage = {"file_bytes": db.stat().st_size}
    try:
        for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            usage[f"dbstat:{name}"] = size
    except sqlite3.OperationalError:
        pass
    conn.close()
    return usage


def time_maintenance(url: str, end: int) -> dict[str, float]:
    """One hour of the whole fleet: roll up the last complete hour and its day, trends, prune."""
    settings = Settings(database_url=url)
    engine = make_engine(url)
    hour = end - end % HOUR - HOUR
    now = datetime.fromtimestamp(end + 60, UTC)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO rollup_queue VALUES (?)", (hour,))
    timings: dict[str, float] = {}
    with engine.begin() as conn:
        lock_maintenance(conn)
        started = time.perf_counter()
        report = run_rollups(conn, settings, now)
        timings["rollup: 1 hour + its day, 100 servers / 1,000 filesystems"] = (
            time.perf_counter() - started
        )
        started = time.perf_counter()
        update_trends(conn, report.filesystem_ids, now)
        timings[f"trends: {len(report.filesystem_ids)} filesystems"] = time.perf_counter() - started
    with engine.begin() as conn:
        started = time.perf_counter()
        prune(conn, settings, now + timedelta(hours=1))
        timings["prune: one hour past retention, every tier"] = time.perf_counter() - started
    engine.dispose()
    return timings


def time_requests(base: str, key: str, requests: int) -> dict[str, list[float]]:
    rng = random.Random(2)
    cases = {
        "GET /servers/{id}": lambda s, m: (f"/api/v1/servers/{s}", {}),
        "fs history 24h (one mount)": lambda s, m: (
            f"/api/v1/servers/{s}/filesystems/metrics", {"mount_point": m, "range": "24h"}),
        "fs history 30d (one mount)": lambda s, m: (
            f"/api/v1/servers/{s}/filesystems/metrics", {"mount_point": m, "range": "30d"}),
        "fs history 12m (one mount)": lambda s, m: (
            f"/api/v1/servers/{s}/filesystems/metrics", {"mount_point": m, "range": "12m"}),
        "fs history 24h (all 10 mounts)": lambda s, m: (
            f"/api/v1/servers/{s}/filesystems/metrics", {"range": "24h"}),
        "server metrics 24h": lambda s, m: (f"/api/v1/servers/{s}/metrics", {"range": "24h"}),
    }  # fmt: skip
    results: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=30) as client:
        for name, build in cases.items():
            samples = []
            for i in range(requests + 20):
                path, params = build(f"srv-{rng.randrange(SERVERS):03d}", rng.choice(MOUNTS))
                started = time.perf_counter()
                response = client.get(path, params=params)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    sys.exit(f"{name}: HTTP {response.status_code} {response.text[:200]}")
                if i >= 20:  # the first requests warm the page cache
                    samples.append(elapsed)
            results[name] = samples
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="homelab-history-") as tmp:
        db = Path(tmp) / "history.db"
        url = f"sqlite:///{db}"
        engine = make_engine(url)
        upgrade_to_head(engine)
        engine.dispose()
        end = int(time.time()) // MINUTE * MINUTE
        print(f"seeding {db} ({SERVERS} servers x {FILESYSTEMS} filesystems)", flush=True)
        started = time.perf_counter()
        counts = seed(db, end)
        seed_seconds = time.perf_counter() - started
        usage = disk_usage(db, counts)
        maintenance = time_maintenance(url, end)
        with running_hub(Path(tmp) / "data", {"HOMELAB_CMD_DATABASE_URL": url}) as (base, key):
            latencies = time_requests(base, key, args.requests)
    raw = counts["filesystem_sample"]
    print(
        f"\nseeded {sum(counts.values()):,} rows in {seed_seconds:.0f} s on {os.cpu_count()} cores"
    )
    print("\n| request (HTTP, real hub, SQLite) | p50 ms | p95 ms | max ms | target |")
    print("|---|---:|---:|---:|---|")
    for name, samples in latencies.items():
        p95 = percentile(samples, 95)
        target = "p95 < 20 ms" if "all 10" not in name and "server metrics" not in name else "-"
        print(
            f"| {name} | {statistics.median(samples):.1f} | {p95:.1f} | {max(samples):.1f} | "
            f"{target} |"
        )
    print("\n| maintenance step | seconds |\n|---|---:|")
    for name, seconds in maintenance.items():
        print(f"| {name} | {seconds:.2f} |")
    sample_bytes = usage.get("dbstat:filesystem_sample")
    print("\n| storage | value |\n|---|---:|")
    print(f"| raw filesystem samples | {raw:,} |")
    if sample_bytes is not None:
        print(
            f"| filesystem_sample table (dbstat, key included) | {sample_bytes / 2**20:,.0f} MiB |"
        )
        print(f"| bytes per raw filesystem sample (target <= 48) | {sample_bytes / raw:.1f} |")
    print(f"| whole file after checkpoint | {usage['file_bytes'] / 2**20:,.0f} MiB |")
    print(f"| whole file / raw filesystem samples | {usage['file_bytes'] / raw:.1f} |")
    for name, size in sorted(usage.items()):
        if name.startswith("dbstat:") and size > 2**20:
            table = name.removeprefix("dbstat:")
            rows = counts.get(table)
            per_row = f" ({size / rows:.1f} B/row)" if rows else ""
            print(f"| {table} | {size / 2**20:,.0f} MiB{per_row} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
