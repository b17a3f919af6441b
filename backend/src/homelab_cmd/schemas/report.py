"""The weekly capacity report as the API returns it (and as its messages are written from)."""

from datetime import datetime

from pydantic import BaseModel, Field

from homelab_cmd.domain.alerts import AlertKind, Severity
from homelab_cmd.schemas.server import FilesystemFill, FilesystemForecast


class ReportFilesystem(FilesystemFill, FilesystemForecast):
    """A filesystem that fills within the report's horizon, with its forecast as the fleet's
    reads give it (its capacity domain's date where that comes first)."""

    server_id: str
    server_name: str = Field(description="The server's display name, else its hostname")
    mount_point: str
    total_bytes: int
    used_bytes: int
    available_bytes: int
    percent: float | None


class ReportGrower(BaseModel):
    """A filesystem whose used bytes grew over the week, from its hourly history."""

    server_id: str
    server_name: str
    mount_point: str
    since: datetime = Field(description="The first hour of the week the hub holds for it")
    bytes_then: int = Field(description="Used bytes in that hour (its average)")
    bytes_now: int = Field(description="Used bytes in the latest heartbeat")
    change_bytes: int


class ReportDirectory(BaseModel):
    """A directory that grew between two usage scans of its filesystem, the newer taken during
    the week."""

    server_id: str
    server_name: str
    mount_point: str
    path: str
    bytes_then: int
    bytes_now: int
    change_bytes: int


class ReportHealthEvent(BaseModel):
    """A drive or pool alert that began or ended during the week."""

    kind: AlertKind
    severity: Severity
    started_at: datetime
    resolved_at: datetime | None = Field(description="Null while it is still open")
    message: str


class ReportStorageChange(BaseModel):
    """A drive or pool whose health changed during the week: its alerts that began or ended."""

    server_id: str
    server_name: str
    subject: str = Field(description="'drive' or 'pool'")
    key: str = Field(description="The alert subject: 'drive:wwn:0x…' or 'zfs:tank'")
    name: str = Field(description="The drive's device name or the pool's name")
    health: str | None = Field(
        description="Its health now (passed/warning/failed/… for drives, ok/warning/critical for "
        "pools); null once it is no longer reported"
    )
    reasons: list[str] = Field(description="Why it has that health now")
    events: list[ReportHealthEvent]


class ReportAlert(BaseModel):
    """An alert still firing at the end of the week."""

    id: int
    server_id: str
    server_name: str
    kind: AlertKind
    severity: Severity
    mount_point: str | None
    fired_at: datetime | None
    acknowledged: bool
    message: str


class ReportAlerts(BaseModel):
    """Alerts of the week: counts, and the ones still firing (worst and oldest first)."""

    opened: int = Field(description="Alerts that started firing during the week")
    acknowledged: int = Field(description="Alerts acknowledged during the week")
    resolved: int = Field(description="Alerts resolved during the week")
    still_firing: int = Field(description="Alerts firing at the end of the week")
    firing: list[ReportAlert] = Field(description="Up to `limit` of the still-firing alerts")


class CapacityReport(BaseModel):
    """What the weekly capacity report says, as of `generated_at`."""

    generated_at: datetime
    period_start: datetime = Field(description="The week the report looks back on starts here")
    horizon_days: int = Field(description="Filesystems filling within this many days are listed")
    hub_url: str | None = Field(description="HOMELAB_CMD_PUBLIC_URL; null when it is not set")
    server_count: int
    filling: list[ReportFilesystem] = Field(description="Soonest full first")
    filling_count: int = Field(
        description="How many fill within the horizon (all, not only listed)"
    )
    growers: list[ReportGrower] = Field(description="Largest growth first")
    directory_growers: list[ReportDirectory] = Field(
        description="Directories that grew most between usage scans during the week"
    )
    storage_changes: list[ReportStorageChange]
    alerts: ReportAlerts
    schedule: str | None = Field(
        description="HOMELAB_CMD_REPORT_SCHEDULE as the hub reads it ('Mon 08:00 (hub local "
        "time)'); null when no report is scheduled"
    )
    next_report_at: datetime | None = Field(
        description="When the scheduled report goes out next; null when none is scheduled"
    )


class ReportQueued(BaseModel):
    """The report was queued for delivery through the outbox (retried until delivered)."""

    channels: int = Field(description="Channels the report was queued for")
