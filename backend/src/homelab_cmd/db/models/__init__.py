"""Every table, imported here so Alembic sees the whole metadata."""

from homelab_cmd.db.models.api_token import ApiToken
from homelab_cmd.db.models.filesystem import Filesystem
from homelab_cmd.db.models.filesystem_daily import FilesystemDaily
from homelab_cmd.db.models.filesystem_hourly import FilesystemHourly
from homelab_cmd.db.models.filesystem_sample import FilesystemSample
from homelab_cmd.db.models.filesystem_trend import FilesystemTrend
from homelab_cmd.db.models.rollup_queue import RollupQueue
from homelab_cmd.db.models.server import Server
from homelab_cmd.db.models.server_metric import ServerMetric
from homelab_cmd.db.models.server_metric_daily import ServerMetricDaily
from homelab_cmd.db.models.server_metric_hourly import ServerMetricHourly
from homelab_cmd.db.models.tier_prune_mark import TierPruneMark
from homelab_cmd.db.models.user import UserAccount, UserSession

__all__ = [
    "ApiToken",
    "Filesystem",
    "FilesystemDaily",
    "FilesystemHourly",
    "FilesystemSample",
    "FilesystemTrend",
    "RollupQueue",
    "Server",
    "ServerMetric",
    "ServerMetricDaily",
    "ServerMetricHourly",
    "TierPruneMark",
    "UserAccount",
    "UserSession",
]
