"""Reading drives and pools: a server's, the fleet's worst first, a drive's history."""

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Drive, DriveDaily, Pool
from homelab_cmd.domain.drives import DriveHealth
from homelab_cmd.domain.pools import judge_pool
from homelab_cmd.domain.tiers import DAY, HOUR, HistoryRange, Resolution, floor_to
from homelab_cmd.errors import DriveNotFound
from homelab_cmd.schemas.drive import (
    DriveHistory,
    DriveList,
    DrivePoint,
    DriveRead,
    PoolRead,
)
from homelab_cmd.services.drives.tiers import Bucket, buckets, raw_readings

RANGES = {
    HistoryRange.H1: timedelta(hours=1),
    HistoryRange.H6: timedelta(hours=6),
    HistoryRange.H24: timedelta(days=1),
    HistoryRange.D7: timedelta(days=7),
    HistoryRange.D30: timedelta(days=30),
    HistoryRange.D90: timedelta(days=90),
    HistoryRange.M12: timedelta(days=365),
}
# Ranges up to this read raw readings (kept for the hourly retention); longer ones, the days.
RAW_UP_TO = timedelta(days=90)
MAX_POINTS = 1500


def drive_read(drive: Drive) -> DriveRead:
    """One drive row as the API shows it."""
    reading: dict[str, Any] = drive.reading or {}
    nvme = reading.get("nvme") or {}
    seconds = reading.get("power_on_seconds")
    return DriveRead(
        id=drive.id,
        key=drive.drive_key,
        server_id=drive.server_id,
        name=drive.name,
        model=drive.model,
        serial=drive.serial,
        kind=drive.kind,
        state=drive.state,
        health=drive.health,
        reasons=drive.reasons,
        acknowledged=drive.hushed,
        temperature_celsius=reading.get("temperature_celsius"),
        power_on_hours=None if seconds is None else seconds // 3600,
        capacity_bytes=reading.get("capacity_bytes"),
        attributes=drive.counts,
        used_percent=nvme.get("used_percent"),
        available_spare_percent=nvme.get("available_spare_percent"),
        filesystems=reading.get("filesystems") or [],
        pools=reading.get("pools") or [],
        first_seen_at=drive.first_seen_at,
        read_at=drive.read_at,
        checked_at=drive.checked_at,
        asleep_since=drive.asleep_since,
    )


def _worst_first(drive: Drive) -> tuple[int, str, str]:
    return (-DriveHealth(drive.health).rank, drive.server_id, drive.name)


def server_drives(session: Session, server_id: str) -> list[DriveRead]:
    """A server's drives, worst first."""
    rows = session.scalars(select(Drive).where(Drive.server_id == server_id)).all()
    return [drive_read(d) for d in sorted(rows, key=_worst_first)]


def fleet_drives(session: Session) -> DriveList:
    """Every drive of the fleet, worst first, then by server and name."""
    rows = session.scalars(select(Drive)).all()
    data = [drive_read(d) for d in sorted(rows, key=_worst_first)]
    return DriveList(data=data, count=len(data))


def pool_read(pool: Pool, now: datetime, scrub_max_age: timedelta) -> PoolRead:
    """One pool row, judged now."""
    verdict = judge_pool(
        pool.reading, pool.baseline, pool.degraded_since, pool.first_seen_at, now, scrub_max_age
    )
    scan = pool.reading.get("scan") or {}
    last_scrub = scan.get("ended_at") if scan.get("function") == "scrub" else None
    return PoolRead(
        kind=pool.kind,
        name=pool.name,
        state=pool.state,
        health=verdict.health,
        reasons=verdict.reasons,
        degraded_since=pool.degraded_since,
        last_scrub_at=last_scrub,
        first_seen_at=pool.first_seen_at,
        read_at=pool.read_at,
        detail=pool.reading,
    )


def server_pools(
    session: Session, server_id: str, now: datetime, scrub_max_age: timedelta
) -> list[PoolRead]:
    """A server's pools and arrays, judged now, worst first."""
    rows = session.scalars(
        select(Pool).where(Pool.server_id == server_id).order_by(Pool.kind, Pool.name)
    ).all()
    reads = [pool_read(p, now, scrub_max_age) for p in rows]
    return sorted(reads, key=lambda p: -p.health.rank)


def _point(b: Bucket) -> DrivePoint:
    one = b.sample_count == 1
    return DrivePoint(
        at=b.start,
        temperature_celsius=None if b.temperature_avg is None else round(b.temperature_avg),
        temperature_min=None if one else b.temperature_min,
        temperature_max=None if one else b.temperature_max,
        power_on_hours=b.power_on_hours,
        attributes=b.counts,
    )


def _daily(session: Session, drive_id: int, since: datetime) -> list[Bucket]:
    rows = session.scalars(
        select(DriveDaily)
        .where(DriveDaily.drive_id == drive_id, DriveDaily.day >= floor_to(since, DAY))
        .order_by(DriveDaily.day)
    ).all()
    return [
        Bucket(
            r.day,
            r.temperature_min,
            r.temperature_avg,
            r.temperature_max,
            r.power_on_hours,
            r.counts,
            r.sample_count,
        )
        for r in rows
    ]


def drive_history(
    session: Session, server_id: str, drive_id: int, range_: HistoryRange, now: datetime
) -> DriveHistory:
    """A drive's readings over the range: raw (one an hour by default) up to the hourly
    retention, thinned to at most MAX_POINTS buckets; the daily tier beyond."""
    drive = session.get(Drive, drive_id)
    if drive is None or drive.server_id != server_id:
        raise DriveNotFound(server_id, drive_id)
    span = RANGES[range_]
    since = now - span
    conn = session.connection()
    if span <= RAW_UP_TO:
        step = math.ceil(span.total_seconds() / MAX_POINTS)
        if step > HOUR:
            step = math.ceil(step / HOUR) * HOUR
        points = buckets(raw_readings(conn, drive_id, since, None), step)
        return DriveHistory(
            drive_id=drive_id,
            range=range_,
            resolution=Resolution.RAW,
            step_seconds=step,
            points=[_point(b) for b in points],
        )
    days = _daily(session, drive_id, since)
    # The days not rolled up yet (today, and any the maintenance pass has not reached).
    rest = days[-1].start + timedelta(days=1) if days else since
    days += buckets(raw_readings(conn, drive_id, rest, None), DAY)
    return DriveHistory(
        drive_id=drive_id,
        range=range_,
        resolution=Resolution.DAILY,
        step_seconds=DAY,
        points=[_point(b) for b in days],
    )
