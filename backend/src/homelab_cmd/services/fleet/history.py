"""History reads: pick the tier for a range, bucket it to at most ~1,500 points a series."""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from homelab_cmd.db.tables import FILESYSTEM
from homelab_cmd.db.tables import FILESYSTEM_TREND as TREND
from homelab_cmd.domain.filesystems import FILESYSTEM_METRICS, LAST_SEEN_GRANULARITY, mount_key
from homelab_cmd.domain.forecast_fields import BYTES, stored_names
from homelab_cmd.domain.tiers import HOUR, HistoryRange, Resolution, floor_to
from homelab_cmd.errors import FilesystemNotFound
from homelab_cmd.schemas.history import (
    FilesystemMetricsHistory,
    FilesystemPoint,
    FilesystemSeries,
    ServerMetricPoint,
    ServerMetricsHistory,
)
from homelab_cmd.services.forecast.trends import forecast_fields
from homelab_cmd.services.tiers.aggregates import SERVER_METRICS, aggregate_select, source
from homelab_cmd.services.tiers.retention import RETENTION

MAX_POINTS = 1500
SPAN: dict[HistoryRange, timedelta] = {
    HistoryRange.H1: timedelta(hours=1),
    HistoryRange.H6: timedelta(hours=6),
    HistoryRange.H24: timedelta(hours=24),
    HistoryRange.D7: timedelta(days=7),
    HistoryRange.D30: timedelta(days=30),
    HistoryRange.D90: timedelta(days=90),
    HistoryRange.M12: timedelta(days=365),
}
# Raw covers a day at full detail; past that, hourly rows are 60x fewer reads than raw ones.
TIER: dict[HistoryRange, Resolution] = {
    HistoryRange.H1: Resolution.RAW,
    HistoryRange.H6: Resolution.RAW,
    HistoryRange.H24: Resolution.RAW,
    HistoryRange.D7: Resolution.HOURLY,
    HistoryRange.D30: Resolution.HOURLY,
    HistoryRange.D90: Resolution.HOURLY,
    HistoryRange.M12: Resolution.DAILY,
}
# Bucket widths a chart axis can label; the first one wide enough (and a multiple of the tier's
# own bucket) is used.
STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
         86400, 172800, 604800)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    tier: Resolution
    step_seconds: int
    start_at: datetime
    end_at: datetime

    @property
    def first_bucket(self) -> datetime:
        return floor_to(self.start_at, self.step_seconds)


def plan(range_: HistoryRange, now: datetime) -> Plan:
    """The tier and bucket width that show `range_` ending at `now` in at most ~1,500 points."""
    tier = TIER[range_]
    span = SPAN[range_]
    native = RETENTION[tier].bucket_seconds
    needed = math.ceil(span.total_seconds() / MAX_POINTS)
    step = next(s for s in STEPS if s >= needed and s % native == 0)
    return Plan(tier, step, now - span, now)


def _point_select(
    query: Select[Any], key: str, raw: bool, fields: dict[str, tuple[str, str | None, str | None]]
) -> Select[Any]:
    """Relabel aggregate rows as point fields: `field -> (avg, min, max)` column names.

    A raw bucket of one sample is that sample: its min and max are left null.
    """
    sub = query.subquery()
    single = sub.c.sample_count == 1
    columns: list[Any] = [sub.c[key], sub.c.bucket_at.label("timestamp")]
    for name, (avg, low, high) in fields.items():
        columns.append(sub.c[avg].label(name))
        for column, suffix in ((low, "min"), (high, "max")):
            if column is None:
                continue
            value = case((single, None), else_=sub.c[column]) if raw else sub.c[column]
            columns.append(value.label(f"{name}_{suffix}"))
    columns.append(sub.c.sample_count)
    return select(*columns).order_by(sub.c[key], sub.c.bucket_at)


# point field -> the (value, min, max) aggregate columns it reads, from the catalogues.
SERVER_POINT = {m.name: m.point_columns() for m in SERVER_METRICS}
FILESYSTEM_POINT = {m.name: m.point_columns() for m in FILESYSTEM_METRICS}
# A 24 h chart has 1,440 points a series: they are validated from the rows in one pydantic-core
# call (epoch seconds parse as UTC instants) instead of one Python constructor call each.
SERVER_POINTS = TypeAdapter(list[ServerMetricPoint])
FILESYSTEM_POINTS = TypeAdapter(list[FilesystemPoint])


def _is_raw(p: Plan) -> bool:
    return p.tier is Resolution.RAW


def _parts(p: Plan, now: datetime) -> list[tuple[Resolution, datetime, datetime]]:
    """(tier, from, until) pieces that together cover the plan up to `now`.

    Rollups hold complete hours only, and the last one may not be rolled up yet: a read of a
    rollup tier takes its newest buckets (from the previous hour on, whole steps) from raw, so
    a 7-day chart reaches as far as the 1-hour one.
    """
    if _is_raw(p):
        return [(p.tier, p.first_bucket, now)]
    tail = max(floor_to(floor_to(now, HOUR) - timedelta(hours=1), p.step_seconds), p.first_bucket)
    return [(p.tier, p.first_bucket, tail), (Resolution.RAW, tail, now)]


def _series_rows(
    session: Session, p: Plan, now: datetime, *, servers: bool, ids: list[Any]
) -> list[dict[str, Any]]:
    """Point rows of the owners `ids` over the plan, ordered by owner then time within a part."""
    rows: list[dict[str, Any]] = []
    for tier, start, until in _parts(p, now):
        src = source(tier, servers=servers)
        t = src.table.c[src.time]
        key = src.table.c[src.key]
        where = key == ids[0] if len(ids) == 1 else key.in_(ids)
        # Every part ends before the next begins; the last one includes `now`.
        end = t <= until if until == now else t < until
        query = aggregate_select(src, p.step_seconds, where, t >= start, end)
        fields = SERVER_POINT if servers else FILESYSTEM_POINT
        raw = tier is Resolution.RAW
        rows += _point_rows(session, _point_select(query, src.key, raw, fields))
    return rows


def _window(range_: HistoryRange, p: Plan) -> dict[str, Any]:
    """The fields every history response shares: what was asked and what the hub chose."""
    return {
        "range": range_,
        "resolution": p.tier,
        "step_seconds": p.step_seconds,
        "start_at": p.start_at,
        "end_at": p.end_at,
    }


def _point_rows(session: Session, query: Any) -> list[dict[str, Any]]:
    result = session.execute(query)
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


def server_metrics(
    session: Session, server_id: str, range_: HistoryRange, now: datetime
) -> ServerMetricsHistory:
    """The server's metrics over `range_` ending at `now`."""
    p = plan(range_, now)
    rows = _series_rows(session, p, now, servers=True, ids=[server_id])
    points = SERVER_POINTS.validate_python(rows)
    return ServerMetricsHistory(server_id=server_id, points=points, **_window(range_, p))


@dataclass(frozen=True)
class SeriesPage:
    """Which filesystems one answer holds: at most `limit` series from `offset` on."""

    offset: int = 0
    limit: int = 250


def _filesystems(
    session: Session, server_id: str, mount_point: str | None, since: datetime, page: SeriesPage
) -> tuple[list[Any], int]:
    query = (
        select(
            FILESYSTEM.c.id,
            FILESYSTEM.c.mount_point,
            FILESYSTEM.c.device,
            FILESYSTEM.c.fs_type,
            *(TREND.c[name] for name in stored_names(BYTES)),
        )
        .outerjoin(TREND, TREND.c.filesystem_id == FILESYSTEM.c.id)
        .where(FILESYSTEM.c.server_id == server_id)
        .order_by(FILESYSTEM.c.mount_point, FILESYSTEM.c.id)
    )
    if mount_point is not None:
        found = list(session.execute(query.where(FILESYSTEM.c.mount_key == mount_key(mount_point))))
        if not found:
            raise FilesystemNotFound(server_id, mount_point)
        return found, len(found)
    # Filesystems that disappeared stay in the answer while the range holds their history.
    seen = FILESYSTEM.c.last_seen_at >= since - LAST_SEEN_GRANULARITY
    total = session.execute(
        select(func.count())
        .select_from(FILESYSTEM)
        .where(FILESYSTEM.c.server_id == server_id, seen)
    ).scalar_one()
    rows = session.execute(query.where(seen).offset(page.offset).limit(page.limit))
    return list(rows), total


def filesystem_metrics(
    session: Session,
    server_id: str,
    mount_point: str | None,
    range_: HistoryRange,
    now: datetime,
    *,
    page: SeriesPage | None = None,
) -> FilesystemMetricsHistory:
    """One filesystem's series over `range_` (or every filesystem's, a page at a time)."""
    p = plan(range_, now)
    page = page or SeriesPage()
    filesystems, total = _filesystems(session, server_id, mount_point, p.start_at, page)
    points: dict[int, list[FilesystemPoint]] = defaultdict(list)
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if filesystems:
        ids = [fs.id for fs in filesystems]
        for row in _series_rows(session, p, now, servers=False, ids=ids):
            rows[row["filesystem_id"]].append(row)
    for fs_id, series_rows in rows.items():
        points[fs_id] = FILESYSTEM_POINTS.validate_python(series_rows)
    series = [
        FilesystemSeries(
            mount_point=fs.mount_point,
            device=fs.device,
            fs_type=fs.fs_type,
            points=points[fs.id],
            **forecast_fields(fs._mapping, now),
        )
        for fs in filesystems
    ]
    after = page.offset + len(filesystems) if mount_point is None else total
    return FilesystemMetricsHistory(
        server_id=server_id,
        filesystems=series,
        total_filesystems=total,
        next_offset=after if after < total else None,
        **_window(range_, p),
    )
