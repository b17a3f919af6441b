"""History reads: pick the tier for a range, bucket it to at most ~1,500 points a series."""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Row, Table, select
from sqlalchemy.orm import Session

from homelab_cmd.api.schemas.history import (
    FilesystemMetricsHistory,
    FilesystemPoint,
    FilesystemSeries,
    HistoryRange,
    Resolution,
    ServerMetricPoint,
    ServerMetricsHistory,
)
from homelab_cmd.db.models import Filesystem, FilesystemTrend
from homelab_cmd.errors import FilesystemNotFound
from homelab_cmd.services.aggregates import aggregate_select
from homelab_cmd.services.forecast import forecast_fields
from homelab_cmd.services.ingest import LAST_SEEN_GRANULARITY, mount_key
from homelab_cmd.services.retention import RETENTION
from homelab_cmd.services.rollups import floor_to, source

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
FILESYSTEM = cast(Table, Filesystem.__table__)
TREND = cast(Table, FilesystemTrend.__table__)


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


def _instant(epoch: int) -> datetime:
    return datetime.fromtimestamp(int(epoch), UTC)


def _spread(avg: Any, low: Any, high: Any, count: int, raw: bool) -> tuple[Any, Any, Any]:
    # A raw bucket of one sample is that sample: min and max would only repeat it.
    if raw and count == 1:
        return avg, None, None
    return avg, low, high


# Points are built with model_construct: every value comes from our own typed columns, and a
# 24 h chart has 1,440 of them per series, where validation would cost more than the query.
def _server_point(row: Row[Any], raw: bool) -> ServerMetricPoint:
    n = row.sample_count
    cpu, cpu_min, cpu_max = _spread(
        row.cpu_percent_avg, row.cpu_percent_min, row.cpu_percent_max, n, raw
    )
    mem, mem_min, mem_max = _spread(
        row.memory_percent_avg, row.memory_percent_min, row.memory_percent_max, n, raw
    )
    load, load_min, load_max = _spread(row.load_1m_avg, row.load_1m_min, row.load_1m_max, n, raw)
    return ServerMetricPoint.model_construct(
        timestamp=_instant(row.bucket_at),
        cpu_percent=cpu,
        cpu_percent_min=cpu_min,
        cpu_percent_max=cpu_max,
        memory_percent=mem,
        memory_percent_min=mem_min,
        memory_percent_max=mem_max,
        load_1m=load,
        load_1m_min=load_min,
        load_1m_max=load_max,
        load_5m=row.load_5m_avg,
        load_15m=row.load_15m_avg,
        network_rx_bytes=row.network_rx_bytes_max,
        network_tx_bytes=row.network_tx_bytes_max,
        sample_count=n,
    )


def _filesystem_point(row: Row[Any], raw: bool) -> FilesystemPoint:
    used, used_min, used_max = _spread(
        row.used_bytes_avg, row.used_bytes_min, row.used_bytes_max, row.sample_count, raw
    )
    return FilesystemPoint.model_construct(
        timestamp=_instant(row.bucket_at),
        used_bytes=int(used),
        used_bytes_min=used_min,
        used_bytes_max=used_max,
        available_bytes=int(row.available_bytes_avg),
        total_bytes=row.total_bytes_max,
        sample_count=row.sample_count,
    )


def server_metrics(
    session: Session, server_id: str, range_: HistoryRange, now: datetime
) -> ServerMetricsHistory:
    """The server's metrics over `range_` ending at `now`."""
    p = plan(range_, now)
    src = source(p.tier, servers=True)
    t = src.table.c[src.time]
    query = aggregate_select(
        src, p.step_seconds, src.table.c.server_id == server_id, t >= p.first_bucket, t <= now
    )
    raw = p.tier is Resolution.RAW
    points = [_server_point(row, raw) for row in session.execute(query)]
    return ServerMetricsHistory(
        server_id=server_id,
        range=range_,
        resolution=p.tier,
        step_seconds=p.step_seconds,
        start_at=p.start_at,
        end_at=p.end_at,
        points=points,
    )


def _filesystems(
    session: Session, server_id: str, mount_point: str | None, since: datetime
) -> list[Any]:
    query = (
        select(
            FILESYSTEM.c.id,
            FILESYSTEM.c.mount_point,
            FILESYSTEM.c.device,
            FILESYSTEM.c.fs_type,
            TREND.c.growth_bytes_per_day,
            TREND.c.full_at,
        )
        .outerjoin(TREND, TREND.c.filesystem_id == FILESYSTEM.c.id)
        .where(FILESYSTEM.c.server_id == server_id)
        .order_by(FILESYSTEM.c.mount_point)
    )
    if mount_point is not None:
        found = list(session.execute(query.where(FILESYSTEM.c.mount_key == mount_key(mount_point))))
        if not found:
            raise FilesystemNotFound(server_id, mount_point)
        return found
    # Filesystems that disappeared stay in the answer while the range holds their history.
    seen = since - LAST_SEEN_GRANULARITY
    return list(session.execute(query.where(FILESYSTEM.c.last_seen_at >= seen)))


def filesystem_metrics(
    session: Session,
    server_id: str,
    mount_point: str | None,
    range_: HistoryRange,
    now: datetime,
) -> FilesystemMetricsHistory:
    """One filesystem's series over `range_` (or every filesystem's), with their trends."""
    p = plan(range_, now)
    filesystems = _filesystems(session, server_id, mount_point, p.start_at)
    points: dict[int, list[FilesystemPoint]] = defaultdict(list)
    if filesystems:
        src = source(p.tier, servers=False)
        t = src.table.c[src.time]
        ids = [fs.id for fs in filesystems]
        key = src.table.c.filesystem_id
        where = key == ids[0] if len(ids) == 1 else key.in_(ids)
        query = aggregate_select(src, p.step_seconds, where, t >= p.first_bucket, t <= now)
        raw = p.tier is Resolution.RAW
        for row in session.execute(query):
            points[row.filesystem_id].append(_filesystem_point(row, raw))
    series = [
        FilesystemSeries(
            mount_point=fs.mount_point,
            device=fs.device,
            fs_type=fs.fs_type,
            points=points[fs.id],
            **forecast_fields(fs.growth_bytes_per_day, fs.full_at, now),
        )
        for fs in filesystems
    ]
    return FilesystemMetricsHistory(
        server_id=server_id,
        range=range_,
        resolution=p.tier,
        step_seconds=p.step_seconds,
        start_at=p.start_at,
        end_at=p.end_at,
        filesystems=series,
    )
