"""Drive readings in the history tiers: raw (one an hour) kept for the hourly retention, rolled
up into one row a day kept for the daily retention.

A drive is read once an hour by default, so its raw readings already are the hourly tier: they
are kept as long as the hourly tier (HOURLY_RETENTION_DAYS), and each complete UTC day is rolled
up into `drive_daily` (temperature min/avg/max, each key count's highest), kept as long as the
daily tier. The maintenance pass does both under its lock; a day already rolled up is skipped,
so a second pass, or a second hub's, changes nothing.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, select

from homelab_cmd.config import Settings
from homelab_cmd.db.tables import DRIVE, DRIVE_DAILY, DRIVE_SAMPLE
from homelab_cmd.db.upsert import insert_ignore
from homelab_cmd.domain.tiers import DAY, Resolution, floor_to
from homelab_cmd.services.tiers.retention import cutoff


@dataclass(frozen=True)
class Bucket:
    """Raw drive readings of one bucket, summed up."""

    start: datetime
    temperature_min: int | None
    temperature_avg: float | None
    temperature_max: int | None
    power_on_hours: int | None
    counts: dict[str, int]
    sample_count: int


@dataclass(frozen=True)
class Reading:
    sampled_at: datetime
    temperature_celsius: int | None
    power_on_hours: int | None
    counts: dict[str, int]


def buckets(readings: Iterable[Reading], width: int) -> list[Bucket]:
    """Readings (in time order) grouped into `width`-second UTC buckets, oldest first."""
    groups: dict[datetime, list[Reading]] = defaultdict(list)
    for r in readings:
        groups[floor_to(r.sampled_at, width)].append(r)
    out = []
    for start, group in sorted(groups.items()):
        temps = [r.temperature_celsius for r in group if r.temperature_celsius is not None]
        hours = [r.power_on_hours for r in group if r.power_on_hours is not None]
        counts: dict[str, int] = {}
        for r in group:
            for key, value in r.counts.items():
                counts[key] = max(value, counts.get(key, value))
        out.append(
            Bucket(
                start=start,
                temperature_min=min(temps) if temps else None,
                temperature_avg=sum(temps) / len(temps) if temps else None,
                temperature_max=max(temps) if temps else None,
                power_on_hours=max(hours) if hours else None,
                counts=counts,
                sample_count=len(group),
            )
        )
    return out


def raw_readings(
    conn: Connection, drive_id: int, since: datetime | None, until: datetime | None
) -> list[Reading]:
    """A drive's raw readings in [since, until), oldest first."""
    s = DRIVE_SAMPLE.c
    query = select(s.sampled_at, s.temperature_celsius, s.power_on_hours, s.counts).where(
        s.drive_id == drive_id
    )
    if since is not None:
        query = query.where(s.sampled_at >= since)
    if until is not None:
        query = query.where(s.sampled_at < until)
    return [Reading(*row) for row in conn.execute(query.order_by(s.sampled_at))]


def roll_up_days(conn: Connection, now: datetime) -> int:
    """Roll each drive's complete UTC days not yet rolled up into `drive_daily`; rows written."""
    end = floor_to(now, DAY)
    d = DRIVE_DAILY.c
    last = {
        drive_id: day
        for drive_id, day in conn.execute(select(d.drive_id, func.max(d.day)).group_by(d.drive_id))
    }
    written = 0
    for drive_id in conn.execute(select(DRIVE.c.id)).scalars():
        done = last.get(drive_id)
        since = done + timedelta(days=1) if done is not None else None
        rows = [
            {
                "drive_id": drive_id,
                "day": b.start,
                "temperature_min": b.temperature_min,
                "temperature_avg": b.temperature_avg,
                "temperature_max": b.temperature_max,
                "power_on_hours": b.power_on_hours,
                "counts": b.counts,
                "sample_count": b.sample_count,
            }
            for b in buckets(raw_readings(conn, drive_id, since, end), DAY)
        ]
        if rows:
            # RETURNING names only the rows written: rowcount is not reliable here on PostgreSQL.
            query = insert_ignore(DRIVE_DAILY, conn.dialect).values(rows)
            written += len(conn.execute(query.returning(DRIVE_DAILY.c.day)).all())
    return written


def prune_drives(conn: Connection, settings: Settings, now: datetime) -> dict[str, int]:
    """Delete raw drive readings past the hourly retention and days past the daily retention."""
    pruned = {}
    for table, time, tier in (
        (DRIVE_SAMPLE, "sampled_at", Resolution.HOURLY),
        (DRIVE_DAILY, "day", Resolution.DAILY),
    ):
        before = cutoff(settings, tier, now)
        total = 0
        # One ranged delete per drive walks the (drive, time) key.
        for drive_id in conn.execute(select(DRIVE.c.id)).scalars():
            result = conn.execute(
                delete(table).where(table.c.drive_id == drive_id, table.c[time] < before)
            )
            total += max(result.rowcount, 0)
        pruned[table.name] = total
    return pruned
