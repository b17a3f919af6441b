"""Columns derived from the metric catalogue, so a new metric is declared once.

Each helper returns a mixin class built from `domain.metrics`: declarative mapping copies a
mixin's `mapped_column`s into every table that inherits it.
"""

from typing import Any

from sqlalchemy import BigInteger, Float
from sqlalchemy.orm import mapped_column

from homelab_cmd.domain.metrics import SERVER_METRICS, Metric, sampled


def _column(metric: Metric) -> Any:
    return mapped_column(BigInteger if metric.integer else Float, nullable=True)


def raw_metric_columns() -> type:
    """One nullable column per sampled metric, in its own unit."""
    columns = {m.name: _column(m) for m in sampled(SERVER_METRICS)}
    return type("RawServerMetricColumns", (), columns)


def rollup_metric_columns() -> type:
    """`<name>_<agg>` for each aggregate the tiers keep of each metric.

    An average of an integer metric is rounded back to an integer, so it keeps the metric's type.
    """
    columns = {column: _column(m) for m in sampled(SERVER_METRICS) for column in m.columns()}
    return type("ServerMetricAggregateColumns", (), columns)
