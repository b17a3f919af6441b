"""Core table handles for the services that build SQL statements, named once.

A mapped class's `__table__` is typed as a generic FromClause; these are the same objects, typed
as the `Table`s they are.
"""

from typing import cast

from sqlalchemy import Table

from homelab_cmd.db.base import Base
from homelab_cmd.db.models import (
    Drive,
    DriveDaily,
    DriveSample,
    Filesystem,
    FilesystemDaily,
    FilesystemHourly,
    FilesystemSample,
    FilesystemTrend,
    Pool,
    RollupQueue,
    Server,
    ServerMetric,
    ServerMetricDaily,
    ServerMetricHourly,
    TierPruneMark,
    UsageScan,
    UsageScanRequest,
)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class."""
    return cast(Table, model.__table__)


SERVER = table_of(Server)
SERVER_METRIC = table_of(ServerMetric)
SERVER_METRIC_HOURLY = table_of(ServerMetricHourly)
SERVER_METRIC_DAILY = table_of(ServerMetricDaily)
FILESYSTEM = table_of(Filesystem)
FILESYSTEM_SAMPLE = table_of(FilesystemSample)
FILESYSTEM_HOURLY = table_of(FilesystemHourly)
FILESYSTEM_DAILY = table_of(FilesystemDaily)
FILESYSTEM_TREND = table_of(FilesystemTrend)
ROLLUP_QUEUE = table_of(RollupQueue)
TIER_PRUNE_MARK = table_of(TierPruneMark)
DRIVE = table_of(Drive)
DRIVE_SAMPLE = table_of(DriveSample)
DRIVE_DAILY = table_of(DriveDaily)
POOL = table_of(Pool)
USAGE_SCAN = table_of(UsageScan)
USAGE_SCAN_REQUEST = table_of(UsageScanRequest)
