"""Trend pass benchmark: the fill-date forecast of 1,000 filesystems, as the rollup job runs it.

A SQLite database with the real migrations holds 100 servers x 10 filesystems with 15 days of
hourly rows and 70 days of daily rows in four shapes (steady growth with noise, pruned every
night, a nightly peak, pruned every week), inodes in the same shapes (every filesystem reports
them, as ext4 and xfs do). One pass = read the tiers, estimate space and inodes, store.
"""

import math
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from history import FILESYSTEMS, FS_IDS, SERVERS, seed_inventory

from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from homelab_cmd.services.forecast.trends import update_trends

GIB = 1024**3
HOUR, DAY = 3600, 86400
HOURLY_DAYS, DAILY_DAYS = 15, 70
PASSES = 5


def used_at(fs: int, t: int) -> int:
    """Used bytes of filesystem `fs` at epoch second `t`, in one of four shapes."""
    days = t / DAY
    hour_of_day = (t % DAY) // HOUR
    jitter = math.sin(t * 0.7 + fs) * 0.5
    match fs % 4:
        case 0:  # steady growth
            gib = 300 + (fs % 5 + 1) * 0.5 * (days % 1000) + jitter
        case 1:  # pruned every night at 03:00
            gib = 500 + 20 * (((t - 3 * HOUR) % DAY) / DAY) + jitter
        case 2:  # 150 GiB extra from 01:00 to 05:00
            gib = 400 + 0.3 * (days % 1000) + (150 if 1 <= hour_of_day < 5 else 0) + jitter
        case _:  # pruned every week
            gib = 450 + 70 * ((t % (7 * DAY)) / (7 * DAY)) + jitter
    return int(gib * GIB)


def rows(start: int, stop: int, width: int) -> Iterator[tuple[int, ...]]:
    total = 1000 * GIB
    # ext4's one inode per 16 KiB; files of 64 KiB on average, so inodes follow the same shape.
    inodes_total = total // (16 * 1024)
    for t in range(start - start % width, stop - stop % width, width):
        for fs in FS_IDS:
            used = [used_at(fs, t + off) for off in range(0, width, HOUR)]
            top = max(used)
            avg = sum(used) // len(used)
            files = [u // (64 * 1024) for u in used]
            yield (fs, t, width // 60, min(used), avg, top, total - avg, total,
                   min(files), sum(files) // len(files), max(files), inodes_total)  # fmt: skip


def seed(db: Path, end: int) -> None:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    seed_inventory(conn, end)
    with conn:
        for table, width, days in (
            ("filesystem_hourly", HOUR, HOURLY_DAYS),
            ("filesystem_daily", DAY, DAILY_DAYS),
        ):
            conn.executemany(
                f"INSERT INTO {table} VALUES ({','.join('?' * 12)})",
                rows(end - days * DAY, end, width),
            )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="homelab-forecast-") as tmp:
        db = Path(tmp) / "forecast.db"
        url = f"sqlite:///{db}"
        engine = make_engine(url)
        upgrade_to_head(engine)
        engine.dispose()
        end = int(time.time()) // HOUR * HOUR
        seed(db, end)
        now = datetime.fromtimestamp(end + 60, UTC)
        timings, cpu = [], []
        for _ in range(PASSES):
            with engine.begin() as conn:
                started, started_cpu = time.perf_counter(), time.process_time()
                stored = update_trends(conn, FS_IDS, now)
                timings.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
        engine.dispose()
    print(f"\n== Trend pass: {SERVERS} servers x {FILESYSTEMS} filesystems, SQLite ==")
    print(f"filesystems         {stored:,}")
    print(
        f"trend pass          median {statistics.median(timings):.2f} s, "
        f"min {min(timings):.2f} s, max {max(timings):.2f} s over {PASSES} passes"
    )
    # CPU time of this process: what the pass costs, less disturbed by other work on the machine.
    print(f"trend pass CPU      median {statistics.median(cpu):.2f} s, min {min(cpu):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
