"""The heartbeat wire contract: the source of truth for what agents send.

Field names and limits follow the original HomelabCmd heartbeat, so its agents report here too.
Fields this hub does not know (services, packages, command_results, …) are ignored.
"""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.domain.servers import SERVER_ID_MAX_CHARS, SERVER_ID_PATTERN
from homelab_cmd.schemas.common import Text
from homelab_cmd.schemas.drive import MAX_DRIVES, MAX_POOLS, DriveReport, PoolReport
from homelab_cmd.schemas.usage import (
    MAX_PATH_CHARS,
    MAX_SCANS_PER_HEARTBEAT,
    UsageScanOrder,
    UsageScanReport,
    UsageScanRunning,
)

# Bounds far beyond any real host, so sums over a day of samples stay finite on every engine.
MAX_LOAD = 1e6
MAX_GB = 1e10


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _as_utc(value: datetime) -> datetime:
    # A zone offset can push year 1 or 9999 off the calendar when converted; say so as a 422.
    try:
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("timestamp is outside the representable range") from exc
    if utc < EPOCH:
        raise ValueError("timestamp is before 1970; check the agent host's clock")
    return utc


class WireModel(BaseModel):
    """Ignores unknown fields: newer and older agents keep working."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


MAX_DOMAIN_KEY_CHARS = MAX_PATH_CHARS + 64
MAX_DOMAIN_MEMBERS = 10_000


class OSInfo(WireModel):
    distribution: Text | None = Field(None, max_length=255, examples=["Debian GNU/Linux"])
    version: Text | None = Field(None, max_length=255, examples=["12"])
    kernel: Text | None = Field(None, max_length=255, examples=["6.1.0-18-amd64"])
    architecture: Text | None = Field(None, max_length=64, examples=["x86_64"])


# Written out as the wire contract; `domain/metrics.py` declares each metric's hub unit, and
# tests/domain/test_metrics.py fails when the two disagree.
class MetricsPayload(WireModel):
    """Host metrics; the disk_* fields describe the root filesystem, kept for older clients."""

    cpu_percent: float | None = Field(None, ge=0, le=100)
    memory_percent: float | None = Field(None, ge=0, le=100)
    memory_total_mb: int | None = Field(None, ge=0, le=2**43 - 1)
    memory_used_mb: int | None = Field(None, ge=0, le=2**43 - 1)
    disk_percent: float | None = Field(None, ge=0, le=100)
    disk_total_gb: float | None = Field(None, ge=0, le=MAX_GB)
    disk_used_gb: float | None = Field(None, ge=0, le=MAX_GB)
    network_rx_bytes: int | None = Field(None, ge=0, le=2**63 - 1)
    network_tx_bytes: int | None = Field(None, ge=0, le=2**63 - 1)
    load_1m: float | None = Field(None, ge=0, le=MAX_LOAD)
    load_5m: float | None = Field(None, ge=0, le=MAX_LOAD)
    load_15m: float | None = Field(None, ge=0, le=MAX_LOAD)
    uptime_seconds: int | None = Field(None, ge=0, le=2**63 - 1)


class FilesystemMetric(WireModel):
    """One real filesystem as the agent saw it."""

    mount_point: Text = Field(..., min_length=1, max_length=MAX_PATH_CHARS, examples=["/data"])
    device: Text = Field(..., max_length=MAX_PATH_CHARS, examples=["/dev/sda1"])
    fs_type: Text = Field(..., max_length=255, examples=["ext4"])
    total_bytes: int = Field(..., ge=0, le=2**63 - 1)
    used_bytes: int = Field(..., ge=0, le=2**63 - 1)
    available_bytes: int = Field(..., ge=0, le=2**63 - 1)
    percent: float | None = Field(
        None,
        ge=0,
        le=100,
        description="Ignored: the hub derives it as df does, used / (used + available).",
    )
    read_only: bool | None = None
    inodes_total: int | None = Field(None, ge=0, le=2**63 - 1)
    inodes_used: int | None = Field(None, ge=0, le=2**63 - 1)
    state: FilesystemState = FilesystemState.OK
    capacity_domain: Text | None = Field(
        None,
        max_length=MAX_DOMAIN_KEY_CHARS,
        description="Key of the capacity domain this filesystem draws on",
        examples=["zfs:rpool"],
    )
    shadowed_bytes: int | None = Field(
        None,
        ge=0,
        le=2**63 - 1,
        description="For a missing mount: bytes written into its directory on the parent "
        "filesystem (a bounded scan, so a lower bound on very large trees)",
    )

    @model_validator(mode="after")
    def _used_within_total(self) -> "FilesystemMetric":
        if self.used_bytes > self.total_bytes:
            raise ValueError(
                f"filesystem {self.mount_point!r}: used_bytes ({self.used_bytes}) is greater "
                f"than total_bytes ({self.total_bytes})"
            )
        if (
            self.inodes_used is not None
            and self.inodes_total is not None
            and self.inodes_used > self.inodes_total
        ):
            raise ValueError(
                f"filesystem {self.mount_point!r}: inodes_used ({self.inodes_used}) is greater "
                f"than inodes_total ({self.inodes_total})"
            )
        return self

    def derived_percent(self) -> float:
        """Use% as df shows it: used / (used + available), rounded up to two decimals' worth."""
        room = self.used_bytes + self.available_bytes
        return round(self.used_bytes / room * 100, 2) if room else 0.0


class CapacityDomain(WireModel):
    """Storage shared by one or more mounts: counted once, whatever the number of mounts."""

    key: Text = Field(..., min_length=1, max_length=MAX_DOMAIN_KEY_CHARS, examples=["zfs:tank"])
    kind: Text = Field(
        ...,
        max_length=64,
        description="zfs_pool, zfs_dataset, btrfs, device, network or union",
        examples=["zfs_pool"],
    )
    members: list[Annotated[Text, Field(max_length=MAX_PATH_CHARS)]] = Field(
        default_factory=list,
        max_length=MAX_DOMAIN_MEMBERS,
        description="Mount points drawing on this storage: reported filesystems first, then "
        "binds, subvolumes and second mounts of them",
    )
    total_bytes: int | None = Field(None, ge=0, le=2**63 - 1)
    used_bytes: int | None = Field(None, ge=0, le=2**63 - 1)
    available_bytes: int | None = Field(None, ge=0, le=2**63 - 1)
    union_of: list[Annotated[Text, Field(max_length=MAX_PATH_CHARS)]] | None = Field(
        None,
        max_length=MAX_DOMAIN_MEMBERS,
        description="For a union (mergerfs, Unraid shfs): mount points of its branches",
    )
    parent: Text | None = Field(
        None,
        max_length=MAX_DOMAIN_KEY_CHARS,
        description="For a dataset held back by a quota: the domain it draws from",
    )


class HeartbeatRequest(WireModel):
    """What an agent posts every interval."""

    server_id: str = Field(
        ..., min_length=1, max_length=SERVER_ID_MAX_CHARS, pattern=SERVER_ID_PATTERN
    )
    hostname: Text = Field(..., min_length=1, max_length=255)
    timestamp: Annotated[datetime, AfterValidator(_as_utc)] = Field(
        ...,
        description="When the agent collected the data. A time without a zone is UTC. "
        "A timestamp more than `max_clock_skew_seconds` (default 300) ahead of the hub clock "
        "is rejected with 422, never clamped: clamping would break replay idempotency.",
    )
    agent_version: Text | None = Field(None, max_length=64)
    os_info: OSInfo | None = None
    metrics: MetricsPayload | None = None
    filesystems: list[FilesystemMetric] | None = Field(
        None, description="Every real filesystem; null from agents that do not report them."
    )
    collector_errors: dict[Text, Text] | None = Field(
        None, description="Collectors that failed this cycle, by name, with the reason."
    )
    capacity_domains: list[CapacityDomain] | None = Field(
        None,
        max_length=MAX_DOMAIN_MEMBERS,
        description="The storage the filesystems draw on; null from agents that do not know.",
    )
    drives: list[DriveReport] | None = Field(
        None,
        max_length=MAX_DRIVES,
        description="After a drive pass only (ADR 0004): absent means no new reading, and the "
        "hub keeps what it had; [] means read, none found.",
    )
    pools: list[PoolReport] | None = Field(
        None,
        max_length=MAX_POOLS,
        description="After a pool pass only (ADR 0004): ZFS pools, md arrays, btrfs filesystems.",
    )
    usage_scans: list[UsageScanReport] | None = Field(
        None,
        max_length=MAX_SCANS_PER_HEARTBEAT,
        description="Usage scans finished since the last heartbeat (ADR 0005); absent: none.",
    )
    usage_scan_running: UsageScanRunning | None = Field(
        None, description="The usage scan in progress, if any (ADR 0005)."
    )


class HeartbeatResponse(BaseModel):
    """Shape of the original hub's answer, so its agents parse it."""

    status: str = "ok"
    server_registered: bool = Field(
        False, description="True when this heartbeat registered the server"
    )
    duplicate: bool = Field(
        False, description="True when this (server_id, timestamp) was already stored"
    )
    pending_commands: list[object] = Field(default_factory=list)
    results_acknowledged: list[int] = Field(default_factory=list)
    usage_scan_requests: list[UsageScanOrder] = Field(
        default_factory=list,
        description="Every open usage-scan request of this server, until answered or expired "
        "(ADR 0005)",
    )
