"""Server resource schemas."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from homelab_cmd.domain.forecast import FillSource, ForecastBasis
from homelab_cmd.domain.metrics import SERVER_METRICS
from homelab_cmd.domain.servers import ServerStatus
from homelab_cmd.schemas.alert import EffectiveLevels
from homelab_cmd.schemas.common import Text
from homelab_cmd.schemas.drive import DriveRead, PoolRead
from homelab_cmd.schemas.heartbeat import CapacityDomain, FilesystemMetric, OSInfo


def _optional(kind: type) -> Any:
    return kind | None


# Built from the metric catalogue (domain/metrics.py): every metric under its hub name and unit.
_LATEST_FIELDS: dict[str, Any] = {
    m.name: (_optional(int if m.integer else float), None) for m in SERVER_METRICS
}
LatestMetrics = create_model(
    "LatestMetrics",
    # Every field is always present in a response (null when the agent did not send it).
    __config__=ConfigDict(json_schema_serialization_defaults_required=True),
    __doc__="The newest heartbeat's host metrics in the hub's units (sizes in bytes); "
    "disk_* describe the root filesystem.",
    **_LATEST_FIELDS,
)


# The forecast fields are declared in domain/forecast_fields.py; these two schemas are written
# out for their descriptions, and tests/domain/test_forecast_fields.py fails when they drift.
class FilesystemForecast(BaseModel):
    """How fast a filesystem fills and when it will be full; null where unknown."""

    growth_bytes_per_day: float | None = Field(
        None,
        description="Robust growth rate of used bytes (of the cycle peaks when the forecast "
        "follows a peak or prune cycle); null with under a day of history",
    )
    full_at: datetime | None = Field(None, description="Estimated instant the filesystem fills")
    full_at_earliest: datetime | None = Field(
        None, description="Earliest plausible fill instant (90 % range); null when full_at is"
    )
    full_at_latest: datetime | None = Field(
        None,
        description="Latest plausible fill instant (90 % range); null when full_at is, or when "
        "it may not fill within ten years",
    )
    confident: bool = Field(
        False,
        description="True when full_at rests on at least 3 days of history (or 3 cycle peaks) "
        "and its range is no wider than the time left until it; alerts act on confident "
        "forecasts only",
    )
    forecast_basis: ForecastBasis | None = Field(
        None,
        description="What full_at follows: the level's trend, a regular daily peak, or the "
        "peaks of cleanups that recur on a schedule; null before a forecast exists",
    )
    forecast_reason: str | None = Field(
        None,
        description="Why, in a few words: 'at the daily peak (around 02:00 UTC)', 'pruned "
        "weekly; peaks at 78 %', 'not growing', 'under a day of history'",
    )
    peak_headroom_bytes: int | None = Field(
        None, description="Bytes left at the top of the peak or prune cycle, as of now"
    )
    days_until_full: float | None = None


class InodeForecast(BaseModel):
    """When a filesystem runs out of inodes (files), where the agent reports them.

    The same model as the space forecast, on inodes used; null without inode figures (btrfs and
    others report none) or without a day of their history.
    """

    inodes_growth_per_day: float | None = Field(
        None, description="Robust growth of inodes used, per day; null with under a day of history"
    )
    inodes_full_at: datetime | None = Field(
        None, description="Estimated instant the last inode is used"
    )
    inodes_full_at_earliest: datetime | None = Field(
        None, description="Earliest plausible instant (90 % range); null when inodes_full_at is"
    )
    inodes_full_at_latest: datetime | None = Field(
        None,
        description="Latest plausible instant (90 % range); null when inodes_full_at is, or "
        "when it may not come within ten years",
    )
    inodes_confident: bool = Field(
        False, description="As `confident`, for inodes_full_at: enough history, a narrow range"
    )
    inodes_forecast_reason: str | None = Field(
        None, description="Why, in a few words, as forecast_reason: 'not growing', …"
    )
    inodes_days_until_full: float | None = None


class FilesystemFill(BaseModel):
    """Whose fill date a filesystem shows: its own, or its capacity domain's when that comes first.

    Mounts of one pool draw on one pool of free space: a dataset whose own growth would take a
    year to fill it fills in a month when its siblings write too. Its `full_at`, range,
    `confident` and `days_until_full` are then the domain's (docs/forecast.md).
    """

    fill_source: FillSource | None = Field(
        None,
        description="'own' when full_at follows the filesystem's own growth, 'domain' when it is "
        "the date of the capacity domain it shares with other mounts, which fills first; null "
        "without a date",
    )
    fill_domain: str | None = Field(
        None, description="With fill_source 'domain': the key of that domain ('zfs:tank')"
    )
    fill_domain_label: str | None = Field(
        None, description="With fill_source 'domain': the domain in words ('pool tank')"
    )
    own_full_at: datetime | None = Field(
        None,
        description="When the filesystem's own growth alone would fill it; equal to full_at "
        "unless fill_source is 'domain'",
    )


class FilesystemRead(FilesystemFill, FilesystemMetric, FilesystemForecast, InodeForecast):
    """A filesystem of the latest snapshot, with its trend."""

    percent: float = Field(
        ..., ge=0, le=100, description="Used, as df shows it: used / (used + available)"
    )


class CapacityDomainRead(CapacityDomain, FilesystemForecast):
    """Storage shared by mounts, with the forecast of everything that draws on it.

    Its growth adds up its datasets' (ZFS) or is the largest of its mounts' (one filesystem
    mounted several times); its range and `confident` come from theirs (docs/forecast.md).
    """

    counted: bool = Field(
        ...,
        description="True when the domain's bytes count towards totals: false for a quota "
        "dataset inside a pool and for a union whose branches are reported themselves",
    )


class CapacityTotals(BaseModel):
    """Storage summed over capacity domains, each counted once (over the fleet, a network share
    once, and not at all when the server it lives on reports too)."""

    domain_count: int = 0
    total_bytes: int = 0
    used_bytes: int = 0
    available_bytes: int = 0


class FullestFilesystem(FilesystemFill, FilesystemForecast):
    mount_point: str
    percent: float
    total_bytes: int | None = Field(None, description="Size, for size-aware levels")
    available_bytes: int | None = Field(None, description="Free space, for size-aware levels")
    levels: EffectiveLevels | None = Field(
        None,
        description="The alert levels in force for this mount (its mode and rule), to colour it by",
    )


class VanishedFilesystem(BaseModel):
    """A filesystem the server reported before and no longer does; its history is kept."""

    mount_point: str
    device: str
    fs_type: str
    first_seen_at: datetime
    missing_since: datetime = Field(
        ..., description="The last heartbeat that reported it: it has been missing since"
    )


class DismissFilesystem(BaseModel):
    """Which vanished filesystem to stop listing."""

    model_config = ConfigDict(extra="forbid")

    mount_point: str = Field(..., min_length=1, max_length=4096)


class ServerBase(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    hostname: str
    display_name: str | None
    agent_version: str | None
    os_info: OSInfo | None
    status: ServerStatus
    last_seen_at: datetime | None
    latest_heartbeat_at: datetime | None
    created_at: datetime
    collector_errors: dict[str, str] | None = Field(
        None, description="Collectors that failed in the newest heartbeat, with the agent's reason"
    )
    budget_warning: str | None = Field(
        None,
        description="The last per-host budget the server went over, in words, naming the setting "
        "(heartbeat rate, age, domain depth, filesystems, open alerts); null when none",
    )
    budget_warning_at: datetime | None = Field(
        None, description="When the hub last recorded budget_warning (at most once a minute)"
    )


class ServerSummary(ServerBase):
    """One card of the fleet view."""

    latest_metrics: LatestMetrics | None
    filesystem_count: int
    fullest_filesystem: FullestFilesystem | None
    soonest_full_filesystem: FullestFilesystem | None = Field(
        None, description="The filesystem with the nearest forecast fill date; null when none fills"
    )
    capacity: CapacityTotals = Field(
        default_factory=CapacityTotals, description="Storage of the server, each domain once"
    )
    missing_filesystem_count: int = Field(
        0, description="Expected mounts that are not mounted (state missing)"
    )
    vanished_filesystem_count: int = Field(
        0, description="Filesystems the server stopped reporting, not dismissed"
    )


class ServerList(BaseModel):
    data: list[ServerSummary]
    count: int
    totals: CapacityTotals = Field(
        default_factory=CapacityTotals, description="Storage of the fleet, each domain once"
    )


class ServerRead(ServerBase):
    """One server: its latest metrics and filesystems with their trends; null before any data."""

    latest_metrics: LatestMetrics | None
    filesystems: list[FilesystemRead] | None
    capacity_domains: list[CapacityDomainRead] | None = Field(
        None,
        description="The storage the filesystems draw on, each pool or device once; for agents "
        "that do not report domains, one per filesystem (kind `filesystem`)",
    )
    vanished_filesystems: list[VanishedFilesystem] = Field(
        default_factory=list,
        description="Filesystems reported before and missing from the latest heartbeat, until "
        "dismissed",
    )
    drives: list[DriveRead] = Field(
        default_factory=list, description="The server's drives with their health, worst first"
    )
    pools: list[PoolRead] = Field(
        default_factory=list,
        description="ZFS pools, md arrays and btrfs filesystems with their health, worst first",
    )


class ServerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: Text | None = Field(
        None, max_length=255, description="Name shown in the UI; null returns to the hostname"
    )
