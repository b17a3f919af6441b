"""History responses: server metrics and per-filesystem series."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, create_model

from homelab_cmd.domain.metrics import SERVER_METRICS, charted
from homelab_cmd.domain.tiers import HistoryRange, Resolution
from homelab_cmd.schemas.server import FilesystemForecast

__all__ = [
    "FilesystemMetricsHistory",
    "FilesystemPoint",
    "FilesystemSeries",
    "HistoryRange",
    "Resolution",
    "ServerMetricPoint",
    "ServerMetricsHistory",
]


def _server_point_fields() -> dict[str, Any]:
    """Each charted metric's value, and its bucket min/max where the tiers keep them."""
    fields: dict[str, Any] = {"timestamp": (datetime, ...)}
    for metric in charted(SERVER_METRICS):
        kind: Any = int if metric.integer else float
        fields[metric.name] = (kind | None, ...)
        _, low, high = metric.point_columns()
        if low is not None and high is not None:
            fields[low] = (kind | None, None)
            fields[high] = (kind | None, None)
    fields["sample_count"] = (int, 1)
    return fields


# Built from the metric catalogue, so a charted metric is declared once (domain/metrics.py).
ServerMetricPoint = create_model(
    "ServerMetricPoint",
    __doc__="A raw sample, or an aggregate bucket (then *_min/*_max are set).",
    **_server_point_fields(),
)


class ServerMetricsHistory(BaseModel):
    server_id: str
    range: HistoryRange
    resolution: Resolution
    step_seconds: int = Field(description="Width of each point's bucket")
    start_at: datetime
    end_at: datetime
    points: list[ServerMetricPoint]


class FilesystemPoint(BaseModel):
    timestamp: datetime
    used_bytes: int
    used_bytes_min: int | None = None
    used_bytes_max: int | None = None
    available_bytes: int
    total_bytes: int
    sample_count: int = 1


class FilesystemSeries(FilesystemForecast):
    mount_point: str
    device: str
    fs_type: str
    points: list[FilesystemPoint]


class FilesystemMetricsHistory(BaseModel):
    server_id: str
    range: HistoryRange
    resolution: Resolution
    step_seconds: int = Field(description="Width of each point's bucket")
    start_at: datetime
    end_at: datetime
    filesystems: list[FilesystemSeries]
    total_filesystems: int = Field(
        description="How many filesystems the range holds; an answer carries at most "
        "max_history_series (default 250) of them"
    )
    next_offset: int | None = Field(
        None, description="More series than this answer holds: ask again with this offset"
    )
