"""Growth trend and fill date of a filesystem (docs/forecast.md explains the method).

Theil-Sen slope of the hourly maxima of used bytes over the last 14 days, restarting after a
cleanup (a large drop) or a resize (total changes); fill date = available bytes / slope.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby
from statistics import median
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Filesystem, FilesystemTrend
from homelab_cmd.db.tables import FILESYSTEM_TREND
from homelab_cmd.db.upsert import insert_upsert
from homelab_cmd.domain.tiers import DAY, HOUR, Resolution
from homelab_cmd.services.retention import RETENTION

GIB = 1024**3
WINDOW = timedelta(days=14)
MIN_HISTORY_SECONDS = DAY
# At most this many points enter Theil-Sen (it compares every pair): 14 days of 4-hour maxima.
MAX_POINTS = 96
# Used bytes falling this far below the previous day's median is a cleanup: the trend restarts.
BASELINE_HOURS = 24
CLEANUP_MIN_BYTES = GIB
CLEANUP_FRACTION = 0.02
# A change of total size larger than this is a resize or a replaced disk: the trend restarts.
RESIZE_FRACTION = 0.05
# Beyond ten years a fill date says nothing useful.
MAX_DAYS_UNTIL_FULL = 3650.0
CHUNK = 500


@dataclass(frozen=True)
class HourPoint:
    """One hourly bucket: when it starts and the figures the forecast reads."""

    at: int
    used_max: int
    total: int
    available: int


@dataclass(frozen=True)
class Trend:
    growth_bytes_per_day: float | None
    full_at: datetime | None


NO_TREND = Trend(None, None)
# (server id, mount point) -> the FilesystemForecast fields
Forecasts = dict[tuple[str, str], dict[str, Any]]


def current_segment(points: Sequence[HourPoint]) -> list[HourPoint]:
    """The points since the last cleanup or resize (`points` in time order).

    A cleanup is a fall well below the median of the previous day, so a burst of temporary
    files that comes and goes within hours does not count as one.
    """
    start = 0
    for i in range(1, len(points)):
        prev, cur = points[i - 1], points[i]
        baseline = median(p.used_max for p in points[max(start, i - BASELINE_HOURS) : i])
        threshold = max(CLEANUP_MIN_BYTES, CLEANUP_FRACTION * prev.total)
        cleanup = baseline - cur.used_max > threshold
        resize = abs(cur.total - prev.total) > RESIZE_FRACTION * max(prev.total, 1)
        if cleanup or resize:
            start = i
    return list(points[start:])


def _thin(points: list[HourPoint]) -> list[HourPoint]:
    """Merge hours into equal buckets, keeping each bucket's largest used figure."""
    span_hours = (points[-1].at - points[0].at) // HOUR + 1
    width = -(-span_hours // MAX_POINTS) * HOUR
    if width == HOUR:
        return points
    first = points[0].at
    return [
        max(group, key=lambda p: p.used_max)
        for _, group in groupby(points, key=lambda p: (p.at - first) // width)
    ]


def theil_sen_slope(xs: Sequence[float], ys: Sequence[float]) -> float:
    """The median of the slopes between every pair of points with distinct x."""
    slopes = [
        (ys[j] - ys[i]) / (xs[j] - xs[i])
        for i in range(len(xs))
        for j in range(i + 1, len(xs))
        if xs[j] != xs[i]
    ]
    return median(slopes) if slopes else 0.0


def estimate(points: Sequence[HourPoint]) -> Trend:
    """The trend of a filesystem from its hourly points (time order, the last 14 days)."""
    segment = current_segment(points)
    if not segment or segment[-1].at + HOUR - segment[0].at < MIN_HISTORY_SECONDS:
        return NO_TREND
    thinned = _thin(segment)
    xs = [p.at / DAY for p in thinned]
    ys = [float(p.used_max) for p in thinned]
    growth = theil_sen_slope(xs, ys)
    latest = segment[-1]
    # The hour's average available figure belongs to the middle of the hour.
    anchor = datetime.fromtimestamp(latest.at + HOUR // 2, UTC)
    if growth <= 0:
        return Trend(growth, None)
    days = max(latest.available, 0) / growth
    if days > MAX_DAYS_UNTIL_FULL:
        return Trend(growth, None)
    return Trend(growth, anchor + timedelta(days=days))


def days_until_full(full_at: datetime | None, now: datetime) -> float | None:
    """Days from `now` until `full_at` (0 once it has passed)."""
    if full_at is None:
        return None
    return round(max((full_at - now).total_seconds(), 0.0) / DAY, 2)


def forecast_fields(
    growth: float | None, full_at: datetime | None, now: datetime
) -> dict[str, Any]:
    """The FilesystemForecast fields for a stored trend, as seen at `now`."""
    return {
        "growth_bytes_per_day": None if growth is None else round(growth),
        "full_at": full_at,
        "days_until_full": days_until_full(full_at, now),
    }


def _load(conn: Connection, ids: list[int], since: datetime) -> dict[int, list[HourPoint]]:
    hourly = RETENTION[Resolution.HOURLY].filesystem
    rows = conn.execute(
        select(
            hourly.c.filesystem_id,
            hourly.c.bucket_at,
            hourly.c.used_bytes_max,
            hourly.c.total_bytes_max,
            hourly.c.available_bytes_avg,
        )
        .where(hourly.c.filesystem_id.in_(ids), hourly.c.bucket_at >= since)
        .order_by(hourly.c.filesystem_id, hourly.c.bucket_at)
    )
    points: dict[int, list[HourPoint]] = {i: [] for i in ids}
    for fs_id, at, used, total, available in rows:
        points[fs_id].append(HourPoint(int(at.timestamp()), used, total, available))
    return points


def compute_trends(
    conn: Connection, filesystem_ids: Iterable[int], now: datetime
) -> list[dict[str, Any]]:
    """The `filesystem_trend` rows for these filesystems, from their hourly tier (reads only)."""
    ids = sorted(filesystem_ids)
    rows = []
    for start in range(0, len(ids), CHUNK):
        for fs_id, points in _load(conn, ids[start : start + CHUNK], now - WINDOW).items():
            trend = estimate(points)
            rows.append(
                {
                    "filesystem_id": fs_id,
                    "growth_bytes_per_day": trend.growth_bytes_per_day,
                    "full_at": trend.full_at,
                    "computed_at": now,
                }
            )
    return rows


def store_trends(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Upsert computed trends; returns how many."""
    if rows:
        conn.execute(insert_upsert(FILESYSTEM_TREND, conn.dialect, ["filesystem_id"]), rows)
    return len(rows)


def update_trends(conn: Connection, filesystem_ids: Iterable[int], now: datetime) -> int:
    """Recompute and store the trend of each filesystem; returns how many were stored."""
    return store_trends(conn, compute_trends(conn, filesystem_ids, now))


def stored_forecasts(session: Session, now: datetime, server_id: str | None = None) -> Forecasts:
    """(server id, mount point) -> FilesystemForecast fields, from the stored trends."""
    query = select(
        Filesystem.server_id,
        Filesystem.mount_point,
        FilesystemTrend.growth_bytes_per_day,
        FilesystemTrend.full_at,
    ).join(FilesystemTrend, FilesystemTrend.filesystem_id == Filesystem.id)
    if server_id is not None:
        query = query.where(Filesystem.server_id == server_id)
    return {
        (sid, mount): forecast_fields(growth, full_at, now)
        for sid, mount, growth, full_at in session.execute(query)
    }
