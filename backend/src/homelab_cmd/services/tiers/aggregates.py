"""One builder for every min/avg/max query: the rollup jobs and the history reads share it.

A source is either raw samples (one value a column) or a rollup tier (`<name>_min`, `<name>_avg`,
`<name>_max` and `sample_count`). Grouping either by `step` seconds gives rows shaped like the
rollup tables, so an hour rolled up from raw and two hours merged for a chart are the same query.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    Subquery,
    Table,
    case,
    cast,
    func,
    literal_column,
    select,
    type_coerce,
)

from homelab_cmd.domain.filesystems import FILESYSTEM_METRICS, STORED_FILESYSTEM_METRICS
from homelab_cmd.domain.metrics import Agg, Metric, charted
from homelab_cmd.domain.tiers import Resolution
from homelab_cmd.services.tiers.retention import RETENTION

# The tiers keep what the catalogues declare (domain/metrics.py, domain/filesystems.py).
SERVER_METRICS = charted()


@dataclass(frozen=True)
class Source:
    """A table to aggregate: its owner key column, time column and whether it is raw."""

    table: Table | Subquery
    key: str
    time: str
    raw: bool
    metrics: Sequence[Metric]


def _round_int(expr: ColumnElement[Any]) -> ColumnElement[int]:
    # ROUND before CAST: SQLite's CAST truncates where PostgreSQL's rounds.
    return cast(func.round(expr), BigInteger)


def _aggregate(source: Source, metric: Metric, agg: Agg) -> ColumnElement[Any]:
    c = source.table.c
    if source.raw:
        col = c[metric.name]
        if agg is Agg.AVG:
            return _round_int(func.avg(col)) if metric.integer else func.avg(col)
        return func.min(col) if agg is Agg.MIN else func.max(col)
    col = c[f"{metric.name}_{agg}"]
    if agg is not Agg.AVG:
        return func.min(col) if agg is Agg.MIN else func.max(col)
    count = c.sample_count
    weight = func.sum(case((col.is_not(None), count)))
    # Weighted in floating point (numeric on PostgreSQL): bytes near 2^63 times a count would
    # overflow a 64-bit integer sum on either engine.
    weighted = func.sum(col * literal_column("1.0") * count)
    if metric.integer:
        return _round_int(weighted / weight)
    return weighted / weight


def bucket_of(source: Source, step: int) -> ColumnElement[int]:
    """The start of the `step`-second bucket of each row (epoch seconds)."""
    t = type_coerce(source.table.c[source.time], BigInteger)
    # A literal, not a bind parameter: PostgreSQL only matches GROUP BY to the select list when
    # the two expressions are textually identical.
    width = literal_column(str(int(step)), BigInteger)
    return t - t % width


def aggregate_select(source: Source, step: int, *where: ColumnElement[bool]) -> Select[Any]:
    """min/avg/max per (key, bucket), labelled like the rollup tables' columns."""
    bucket = bucket_of(source, step)
    count = func.count() if source.raw else func.sum(source.table.c.sample_count)
    key = source.table.c[source.key]
    columns: list[ColumnElement[Any]] = [
        key.label(source.key),
        bucket.label("bucket_at"),
        count.label("sample_count"),
    ]
    for metric in source.metrics:
        columns += [
            _aggregate(source, metric, agg).label(f"{metric.name}_{agg}") for agg in metric.aggs
        ]
    return select(*columns).where(*where).group_by(key, bucket).order_by(key, bucket)


def source(tier: Resolution, *, servers: bool, stored: bool = False) -> Source:
    """The aggregate source for the server-metric or filesystem table of `tier`.

    Filesystem sources aggregate the charted metrics; with `stored`, every metric the tiers keep
    (the rollups), inodes included.
    """
    tables = RETENTION[tier]
    raw = tier is Resolution.RAW
    if servers:
        return Source(tables.server_metric, "server_id", tables.time_column, raw, SERVER_METRICS)
    metrics = STORED_FILESYSTEM_METRICS if stored else FILESYSTEM_METRICS
    return Source(tables.filesystem, "filesystem_id", tables.time_column, raw, metrics)
