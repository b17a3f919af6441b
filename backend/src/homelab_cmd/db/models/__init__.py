"""Every table, imported here so Alembic sees the whole metadata."""

from homelab_cmd.db.models.alert import Alert
from homelab_cmd.db.models.alert_flap import AlertFlap
from homelab_cmd.db.models.alert_rule import AlertRule
from homelab_cmd.db.models.alert_watch import AlertWatch
from homelab_cmd.db.models.api_token import ApiToken
from homelab_cmd.db.models.audit_event import AuditEvent
from homelab_cmd.db.models.credential_state import CredentialState
from homelab_cmd.db.models.drive import Drive
from homelab_cmd.db.models.drive_daily import DriveDaily
from homelab_cmd.db.models.drive_sample import DriveSample
from homelab_cmd.db.models.enrollment import Enrollment
from homelab_cmd.db.models.filesystem import Filesystem
from homelab_cmd.db.models.filesystem_daily import FilesystemDaily
from homelab_cmd.db.models.filesystem_hourly import FilesystemHourly
from homelab_cmd.db.models.filesystem_sample import FilesystemSample
from homelab_cmd.db.models.filesystem_trend import FilesystemTrend
from homelab_cmd.db.models.notification_channel import NotificationChannel
from homelab_cmd.db.models.notification_outbox import NotificationOutbox
from homelab_cmd.db.models.pool import Pool
from homelab_cmd.db.models.rollup_queue import RollupQueue
from homelab_cmd.db.models.server import Server
from homelab_cmd.db.models.server_metric import ServerMetric
from homelab_cmd.db.models.server_metric_daily import ServerMetricDaily
from homelab_cmd.db.models.server_metric_hourly import ServerMetricHourly
from homelab_cmd.db.models.silence import Silence
from homelab_cmd.db.models.tier_prune_mark import TierPruneMark
from homelab_cmd.db.models.usage_scan import UsageScan
from homelab_cmd.db.models.usage_scan_request import UsageScanRequest
from homelab_cmd.db.models.user import UserAccount, UserSession

__all__ = [
    "Alert",
    "AlertFlap",
    "AlertRule",
    "AlertWatch",
    "ApiToken",
    "AuditEvent",
    "CredentialState",
    "Drive",
    "DriveDaily",
    "DriveSample",
    "Enrollment",
    "Filesystem",
    "FilesystemDaily",
    "FilesystemHourly",
    "FilesystemSample",
    "FilesystemTrend",
    "NotificationChannel",
    "NotificationOutbox",
    "Pool",
    "RollupQueue",
    "Server",
    "ServerMetric",
    "ServerMetricDaily",
    "ServerMetricHourly",
    "Silence",
    "TierPruneMark",
    "UsageScan",
    "UsageScanRequest",
    "UserAccount",
    "UserSession",
]
