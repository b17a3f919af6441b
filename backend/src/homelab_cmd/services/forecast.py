"""Growth trend and fill date of every filesystem: read the tiers, estimate, store, read back.

The estimate itself is `forecast_model.estimate` (docs/forecast.md explains the method).
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Filesystem
from homelab_cmd.db.tables import FILESYSTEM_TREND as TREND
from homelab_cmd.db.upsert import insert_upsert
from homelab_cmd.domain.tiers import DAY, Resolution
from homelab_cmd.services.forecast_model import estimate
from homelab_cmd.services.forecast_series import DayPoint, HourPoint
from homelab_cmd.services.retention import RETENTION

# Hourly points for the level and daily cycles; daily points, long enough to see two monthly
# cleanups, for cleanups that recur every few days, weekly or monthly.
WINDOW = timedelta(days=14)
DAILY_WINDOW = timedelta(days=70)
CHUNK = 500
# The stored forecast columns, in the order of `FilesystemForecast`'s fields.
STORED = (
    "growth_bytes_per_day",
    "full_at",
    "full_at_earliest",
    "full_at_latest",
    "confident",
    "forecast_basis",
    "forecast_reason",
    "peak_headroom_bytes",
)
# (server id, mount point) -> the FilesystemForecast fields
Forecasts = dict[tuple[str, str], dict[str, Any]]


def days_until_full(full_at: datetime | None, now: datetime) -> float | None:
    """Days from `now` until `full_at` (0 once it has passed)."""
    if full_at is None:
        return None
    return round(max((full_at - now).total_seconds(), 0.0) / DAY, 2)


def forecast_fields(trend: Mapping[Any, Any], now: datetime) -> dict[str, Any]:
    """The FilesystemForecast fields for a stored trend row (or none), as seen at `now`."""
    growth = trend.get("growth_bytes_per_day")
    fields = {name: trend.get(name) for name in STORED}
    fields["growth_bytes_per_day"] = None if growth is None else round(growth)
    fields["confident"] = bool(fields["confident"])
    fields["days_until_full"] = days_until_full(fields["full_at"], now)
    return fields


def _load_hours(conn: Connection, ids: list[int], since: datetime) -> dict[int, list[HourPoint]]:
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


def _load_days(conn: Connection, ids: list[int], since: datetime) -> dict[int, list[DayPoint]]:
    daily = RETENTION[Resolution.DAILY].filesystem
    rows = conn.execute(
        select(
            daily.c.filesystem_id,
            daily.c.bucket_at,
            daily.c.used_bytes_min,
            daily.c.used_bytes_max,
            daily.c.total_bytes_max,
        )
        .where(daily.c.filesystem_id.in_(ids), daily.c.bucket_at >= since)
        .order_by(daily.c.filesystem_id, daily.c.bucket_at)
    )
    points: dict[int, list[DayPoint]] = {i: [] for i in ids}
    for fs_id, at, low, high, total in rows:
        points[fs_id].append(DayPoint(int(at.timestamp()), low, high, total))
    return points


def compute_trends(
    conn: Connection, filesystem_ids: Iterable[int], now: datetime
) -> list[dict[str, Any]]:
    """The `filesystem_trend` rows for these filesystems, from their hourly and daily tiers."""
    ids = sorted(filesystem_ids)
    rows = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        days = _load_days(conn, chunk, now - DAILY_WINDOW)
        for fs_id, hours in _load_hours(conn, chunk, now - WINDOW).items():
            forecast = estimate(hours, days[fs_id])
            rows.append(
                {
                    "filesystem_id": fs_id,
                    "growth_bytes_per_day": forecast.growth_bytes_per_day,
                    "full_at": forecast.full_at,
                    "full_at_earliest": forecast.full_at_earliest,
                    "full_at_latest": forecast.full_at_latest,
                    "confident": forecast.confident,
                    "forecast_basis": forecast.basis,
                    "forecast_reason": forecast.reason,
                    "peak_headroom_bytes": forecast.peak_headroom_bytes,
                    "computed_at": now,
                }
            )
    return rows


def store_trends(conn: Connection, rows: list[dict[str, Any]]) -> int:
    """Upsert computed trends; returns how many."""
    if rows:
        conn.execute(insert_upsert(TREND, conn.dialect, ["filesystem_id"]), rows)
    return len(rows)


def update_trends(conn: Connection, filesystem_ids: Iterable[int], now: datetime) -> int:
    """Recompute and store the trend of each filesystem; returns how many were stored."""
    return store_trends(conn, compute_trends(conn, filesystem_ids, now))


def stored_forecasts(session: Session, now: datetime, server_id: str | None = None) -> Forecasts:
    """(server id, mount point) -> FilesystemForecast fields, from the stored trends."""
    query = select(
        Filesystem.server_id, Filesystem.mount_point, *(TREND.c[name] for name in STORED)
    ).join(TREND, TREND.c.filesystem_id == Filesystem.id)
    if server_id is not None:
        query = query.where(Filesystem.server_id == server_id)
    return {
        (row.server_id, row.mount_point): forecast_fields(row._mapping, now)
        for row in session.execute(query)
    }
