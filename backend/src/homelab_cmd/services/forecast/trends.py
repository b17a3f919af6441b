"""Growth trend and fill date of every filesystem: read the tiers, estimate, store, read back.

The estimate itself is `estimate` in `services/forecast/model.py` (docs/forecast.md explains
the method).
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import BigInteger, Connection, select, type_coerce
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Filesystem
from homelab_cmd.db.tables import FILESYSTEM_TREND as TREND
from homelab_cmd.db.upsert import insert_upsert
from homelab_cmd.domain.forecast_fields import (
    ALERT_FIELDS,
    BYTES,
    FORECAST_FIELDS,
    FULL_AT,
    INODES,
    QUANTITIES,
    STORED_COLUMNS,
    ForecastField,
    ForecastQuantity,
    stored_fields,
)
from homelab_cmd.domain.snapshot import SnapshotFilesystem
from homelab_cmd.domain.tiers import DAY, Resolution
from homelab_cmd.services.forecast import series
from homelab_cmd.services.forecast.model import Forecast, estimate
from homelab_cmd.services.forecast.series import DayPoint, HourPoint
from homelab_cmd.services.tiers.retention import RETENTION

# Hourly points for the level and daily cycles; daily points, long enough to see two monthly
# cleanups, for cleanups that recur every few days, weekly or monthly.
WINDOW = timedelta(days=14)
DAILY_WINDOW = timedelta(days=70)
CHUNK = 500
# Each quantity's stored columns and the `Forecast` attributes they hold (looked up once).
STORED = {q: tuple((f.name(q), f) for f in stored_fields(q)) for q in QUANTITIES}
P = TypeVar("P", HourPoint, DayPoint)
# (server id, mount point) -> the FilesystemForecast and InodeForecast fields
Forecasts = dict[tuple[str, str], dict[str, Any]]
# A snapshot filesystem with its forecast fields (empty before a forecast exists).
Forecasted = tuple[SnapshotFilesystem, dict[str, Any]]


def days_until_full(full_at: datetime | None, now: datetime) -> float | None:
    """Days from `now` until `full_at` (0 once it has passed)."""
    if full_at is None:
        return None
    return round(max((full_at - now).total_seconds(), 0.0) / DAY, 2)


# A quantity's fields under their names, and the name of its fill date.
_Reading = tuple[tuple[tuple[str, ForecastField], ...], str]


def _reading(quantity: ForecastQuantity, fields: tuple[ForecastField, ...]) -> _Reading:
    kept = tuple((f.name(quantity), f) for f in fields if f.kept_for(quantity))
    return kept, FULL_AT.name(quantity)


# Each quantity's API fields, and the few the alert pass reads (looked up once: every read of a
# server or of the fleet, and every alert pass, turns each filesystem's row into these).
_READ = {q: _reading(q, FORECAST_FIELDS) for q in QUANTITIES}
_ALERT_READ = {q: _reading(q, ALERT_FIELDS) for q in QUANTITIES}


def _read(trend: Mapping[Any, Any], now: datetime, reading: _Reading) -> dict[str, Any]:
    readers, full_at = reading
    fields: dict[str, Any] = {}
    for name, field in readers:
        if not field.stored:  # days_until_full, the one derived field
            fields[name] = days_until_full(fields[full_at], now)
            continue
        value = trend.get(name)
        if field.kind is bool:
            value = bool(value)
        elif field.whole and value is not None:
            value = round(value)
        fields[name] = value
    return fields


def forecast_fields(
    trend: Mapping[Any, Any], now: datetime, quantity: ForecastQuantity = BYTES
) -> dict[str, Any]:
    """The FilesystemForecast (or, for INODES, InodeForecast) fields for a stored trend row (or
    none), as seen at `now`."""
    return _read(trend, now, _READ[quantity])


def alert_fields(
    trend: Mapping[Any, Any], now: datetime, quantity: ForecastQuantity = BYTES
) -> dict[str, Any]:
    """The fields of `forecast_fields` the alert pass reads (`ALERT_FIELDS`): enough to date a
    filesystem and the capacity domain it shares."""
    return _read(trend, now, _ALERT_READ[quantity])


def _epoch(column: Any) -> Any:
    # The stored epoch seconds as they are: thousands of rows a filesystem need no datetime.
    return type_coerce(column, BigInteger)


# Bytes and inodes of one filesystem, each in time order.
Series = tuple[list[P], list[P]]


def _load_hours(conn: Connection, ids: list[int], since: datetime) -> dict[int, Series[HourPoint]]:
    hourly = RETENTION[Resolution.HOURLY].filesystem
    rows = conn.execute(
        select(
            hourly.c.filesystem_id,
            _epoch(hourly.c.bucket_at),
            hourly.c.used_bytes_max,
            hourly.c.total_bytes_max,
            hourly.c.available_bytes_avg,
            hourly.c.inodes_used_max,
            hourly.c.inodes_used_avg,
            hourly.c.inodes_total_max,
        )
        .where(hourly.c.filesystem_id.in_(ids), hourly.c.bucket_at >= since)
        .order_by(hourly.c.filesystem_id, hourly.c.bucket_at)
    )
    points: dict[int, Series[HourPoint]] = {i: ([], []) for i in ids}
    for fs_id, epoch, used, total, available, inodes, inodes_avg, inodes_total in rows:
        space, files = points[fs_id]
        space.append(HourPoint(epoch, used, total, available))
        if inodes_total:
            # Free inodes are what the total leaves over the hour's average use.
            free = max(inodes_total - inodes_avg, 0)
            files.append(HourPoint(epoch, inodes, inodes_total, free))
    return points


def _load_days(conn: Connection, ids: list[int], since: datetime) -> dict[int, Series[DayPoint]]:
    daily = RETENTION[Resolution.DAILY].filesystem
    rows = conn.execute(
        select(
            daily.c.filesystem_id,
            _epoch(daily.c.bucket_at),
            daily.c.used_bytes_min,
            daily.c.used_bytes_max,
            daily.c.total_bytes_max,
            daily.c.inodes_used_min,
            daily.c.inodes_used_max,
            daily.c.inodes_total_max,
        )
        .where(daily.c.filesystem_id.in_(ids), daily.c.bucket_at >= since)
        .order_by(daily.c.filesystem_id, daily.c.bucket_at)
    )
    points: dict[int, Series[DayPoint]] = {i: ([], []) for i in ids}
    for fs_id, epoch, low, high, total, inodes_low, inodes_high, inodes_total in rows:
        space, files = points[fs_id]
        space.append(DayPoint(epoch, low, high, total))
        if inodes_total:
            files.append(DayPoint(epoch, inodes_low, inodes_high, inodes_total))
    return points


def _stored(forecast: Forecast | None, quantity: ForecastQuantity) -> dict[str, Any]:
    """The stored columns of one quantity's forecast (nulls, and not confident, for none)."""
    if forecast is None:
        return {name: False if f.kind is bool else None for name, f in STORED[quantity]}
    return {name: getattr(forecast, f.forecast_attr) for name, f in STORED[quantity]}


def compute_trends(
    conn: Connection, filesystem_ids: Iterable[int], now: datetime
) -> list[dict[str, Any]]:
    """The `filesystem_trend` rows for these filesystems, from their hourly and daily tiers.

    Space and, where the tiers hold inode figures, inodes: the same model for both.
    """
    ids = sorted(filesystem_ids)
    rows = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        days = _load_days(conn, chunk, now - DAILY_WINDOW)
        for fs_id, (hours, inode_hours) in _load_hours(conn, chunk, now - WINDOW).items():
            day_points, inode_days = days[fs_id]
            forecast = estimate(hours, day_points)
            inodes = estimate(inode_hours, inode_days, series.INODES) if inode_hours else None
            rows.append(
                {
                    "filesystem_id": fs_id,
                    **_stored(forecast, BYTES),
                    **_stored(inodes, INODES),
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
        Filesystem.server_id,
        Filesystem.mount_point,
        *(TREND.c[name] for name in STORED_COLUMNS),
    ).join(TREND, TREND.c.filesystem_id == Filesystem.id)
    if server_id is not None:
        query = query.where(Filesystem.server_id == server_id)
    return {
        (row.server_id, row.mount_point): forecast_fields(row._mapping, now)
        | forecast_fields(row._mapping, now, INODES)
        for row in session.execute(query)
    }
