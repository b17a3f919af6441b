"""The server-metric catalogue: each metric declared once, the rest of the hub derives from it.

Like node_exporter declaring each metric beside its collector, one entry here names a quantity in
the hub's own unit and says how it is stored, aggregated and read off the heartbeat. From
`SERVER_METRICS` derive: the `server_metric` columns and the hourly/daily rollup columns
(`db/models`), the rollup and history aggregates (`services/tiers/aggregates.py`), the history
point fields and schema (`services/fleet/history.py`, `schemas/history.py`), and the ingest row
(`services/ingest/store.py`). The heartbeat's `MetricsPayload` stays written out as the wire
contract; `tests/domain/test_metrics.py` fails when it and this catalogue disagree.
"""

from dataclasses import dataclass
from enum import StrEnum

MIB = 1024**2
GIB = 1024**3


class Agg(StrEnum):
    """An aggregate a rollup tier keeps of a metric over one bucket."""

    MIN = "min"
    AVG = "avg"
    MAX = "max"


MIN_AVG_MAX = (Agg.MIN, Agg.AVG, Agg.MAX)


@dataclass(frozen=True)
class Metric:
    """A measured quantity, named with its unit (`*_bytes`, `*_percent`, `*_seconds`).

    `aggs` are the aggregates the hourly and daily tiers keep (none: the metric is not charted).
    `wire` is the heartbeat field when the agent sends another unit, and `wire_factor` turns it
    into the hub's unit. `sampled` metrics get a `server_metric` column; the others live in the
    latest snapshot only.
    """

    name: str
    aggs: tuple[Agg, ...] = ()
    integer: bool = False
    wire: str | None = None
    wire_factor: int = 1
    sampled: bool = True

    @property
    def wire_name(self) -> str:
        """The heartbeat field that carries this metric."""
        return self.wire or self.name

    def columns(self) -> list[str]:
        """The rollup-tier columns of this metric: `<name>_<agg>`."""
        return [f"{self.name}_{agg}" for agg in self.aggs]

    def point_columns(self) -> tuple[str, str | None, str | None]:
        """The rollup columns a history point reads: (value, min, max); None when not kept.

        The value is the average where one is kept (else the single aggregate, e.g. the latest
        reading of a counter); min and max come with it only when all three are kept.
        """
        value = f"{self.name}_{Agg.AVG if Agg.AVG in self.aggs else self.aggs[0]}"
        if self.aggs != MIN_AVG_MAX:
            return value, None, None
        return value, f"{self.name}_{Agg.MIN}", f"{self.name}_{Agg.MAX}"


SERVER_METRICS: tuple[Metric, ...] = (
    Metric("cpu_percent", MIN_AVG_MAX),
    Metric("memory_percent", MIN_AVG_MAX),
    Metric("memory_total_bytes", integer=True, wire="memory_total_mb", wire_factor=MIB),
    Metric("memory_used_bytes", integer=True, wire="memory_used_mb", wire_factor=MIB),
    Metric("disk_percent"),
    # The root filesystem's size, kept for older clients; the filesystems list has the detail.
    Metric("disk_total_bytes", integer=True, wire="disk_total_gb", wire_factor=GIB, sampled=False),
    Metric("disk_used_bytes", integer=True, wire="disk_used_gb", wire_factor=GIB, sampled=False),
    Metric("load_1m", MIN_AVG_MAX),
    Metric("load_5m", (Agg.AVG,)),
    Metric("load_15m", (Agg.AVG,)),
    # Cumulative counters: the largest value is the bucket's latest reading.
    Metric("network_rx_bytes", (Agg.MAX,), integer=True),
    Metric("network_tx_bytes", (Agg.MAX,), integer=True),
    Metric("uptime_seconds", integer=True),
)


def sampled(metrics: tuple[Metric, ...] = SERVER_METRICS) -> tuple[Metric, ...]:
    """The metrics stored with every heartbeat (a `server_metric` column each)."""
    return tuple(m for m in metrics if m.sampled)


def charted(metrics: tuple[Metric, ...] = SERVER_METRICS) -> tuple[Metric, ...]:
    """The metrics the rollup tiers keep and the history serves."""
    return tuple(m for m in metrics if m.aggs)


def from_wire(metric: Metric, value: float | None) -> float | int | None:
    """A heartbeat value in the hub's unit (None stays None)."""
    if value is None:
        return None
    if metric.wire_factor == 1:
        return value
    return round(value * metric.wire_factor)
