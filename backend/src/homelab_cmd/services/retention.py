"""How long each history tier is kept: the one table the rollup and prune jobs both read."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Column, Table

from homelab_cmd.api.schemas.history import Resolution
from homelab_cmd.config import Settings
from homelab_cmd.db.models import (
    FilesystemDaily,
    FilesystemHourly,
    FilesystemSample,
    ServerMetric,
    ServerMetricDaily,
    ServerMetricHourly,
)


@dataclass(frozen=True)
class TierTables:
    """The tables of one tier, with the column that holds each row's instant."""

    server_metric: Table
    filesystem: Table
    time_column: str
    bucket_seconds: int
    retention_setting: str

    def server_time(self) -> Column[int]:
        return cast(Column[int], self.server_metric.c[self.time_column])

    def filesystem_time(self) -> Column[int]:
        return cast(Column[int], self.filesystem.c[self.time_column])


def _table(model: type[object]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


HOUR = 3600
DAY = 86400

# tier -> its tables, bucket width and the Settings field with its retention in days.
RETENTION: dict[Resolution, TierTables] = {
    Resolution.RAW: TierTables(
        _table(ServerMetric), _table(FilesystemSample), "sampled_at", 1, "raw_retention_days"
    ),
    Resolution.HOURLY: TierTables(
        _table(ServerMetricHourly),
        _table(FilesystemHourly),
        "bucket_at",
        HOUR,
        "hourly_retention_days",
    ),
    Resolution.DAILY: TierTables(
        _table(ServerMetricDaily), _table(FilesystemDaily), "bucket_at", DAY, "daily_retention_days"
    ),
}


def retention(settings: Settings, tier: Resolution) -> timedelta:
    """How long `tier` is kept under these settings."""
    days: int = getattr(settings, RETENTION[tier].retention_setting)
    return timedelta(days=days)


def cutoff(settings: Settings, tier: Resolution, now: datetime) -> datetime:
    """Rows of `tier` older than this instant are pruned."""
    return now - retention(settings, tier)
