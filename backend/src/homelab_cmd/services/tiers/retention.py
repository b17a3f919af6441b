"""How long each history tier is kept: the one table the rollup and prune jobs both read."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table

from homelab_cmd.config import Settings
from homelab_cmd.db.tables import (
    FILESYSTEM_DAILY,
    FILESYSTEM_HOURLY,
    FILESYSTEM_SAMPLE,
    SERVER_METRIC,
    SERVER_METRIC_DAILY,
    SERVER_METRIC_HOURLY,
)
from homelab_cmd.domain.tiers import DAY, HOUR, Resolution, floor_to


@dataclass(frozen=True)
class TierTables:
    """The tables of one tier, with the column that holds each row's instant."""

    server_metric: Table
    filesystem: Table
    time_column: str
    bucket_seconds: int
    retention_setting: str
    # Pruning removes whole buckets of the tier this one rolls up into, so a bucket above is
    # either rebuilt from complete rows or, once they are gone, only ever merged into.
    prune_granularity: int


# tier -> its tables, bucket width and the Settings field with its retention in days.
RETENTION: dict[Resolution, TierTables] = {
    Resolution.RAW: TierTables(
        SERVER_METRIC, FILESYSTEM_SAMPLE, "sampled_at", 1, "raw_retention_days", HOUR
    ),
    Resolution.HOURLY: TierTables(
        SERVER_METRIC_HOURLY, FILESYSTEM_HOURLY, "bucket_at", HOUR, "hourly_retention_days", DAY
    ),
    Resolution.DAILY: TierTables(
        SERVER_METRIC_DAILY, FILESYSTEM_DAILY, "bucket_at", DAY, "daily_retention_days", DAY
    ),
}


def retention(settings: Settings, tier: Resolution) -> timedelta:
    """How long `tier` is kept under these settings."""
    days: int = getattr(settings, RETENTION[tier].retention_setting)
    return timedelta(days=days)


def cutoff(settings: Settings, tier: Resolution, now: datetime) -> datetime:
    """Rows of `tier` older than this instant are pruned."""
    return now - retention(settings, tier)


def prune_before(settings: Settings, tier: Resolution, now: datetime) -> datetime:
    """Rows of `tier` before this instant are pruned: the cutoff floored to whole buckets above."""
    return floor_to(cutoff(settings, tier, now), RETENTION[tier].prune_granularity)
