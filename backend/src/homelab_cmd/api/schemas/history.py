"""History responses: server metrics and per-filesystem series."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from homelab_cmd.api.schemas.server import FilesystemForecast


class HistoryRange(StrEnum):
    H1 = "1h"
    H6 = "6h"
    H24 = "24h"
    D7 = "7d"
    D30 = "30d"
    D90 = "90d"
    M12 = "12m"


class Resolution(StrEnum):
    RAW = "raw"
    HOURLY = "hourly"
    DAILY = "daily"


class ServerMetricPoint(BaseModel):
    """A raw sample, or an aggregate bucket (then *_min/*_max are set)."""

    timestamp: datetime
    cpu_percent: float | None
    cpu_percent_min: float | None = None
    cpu_percent_max: float | None = None
    memory_percent: float | None
    memory_percent_min: float | None = None
    memory_percent_max: float | None = None
    load_1m: float | None
    load_1m_min: float | None = None
    load_1m_max: float | None = None
    load_5m: float | None
    load_15m: float | None
    network_rx_bytes: int | None
    network_tx_bytes: int | None
    sample_count: int = 1


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
