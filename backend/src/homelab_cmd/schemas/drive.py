"""Drives and pools: what agents send (docs/adr/0004) and what the API answers."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from homelab_cmd.domain.drives import DriveHealth
from homelab_cmd.domain.pools import PoolHealth
from homelab_cmd.domain.tiers import HistoryRange, Resolution
from homelab_cmd.schemas.common import Text

# Bounds far beyond any real host (a 90-bay JBOD, a few hundred pools and arrays).
MAX_DRIVES = 512
MAX_POOLS = 256
MAX_POOL_DEVICES = 2048
MAX_POOL_DEPTH = 8
MAX_NAME_CHARS = 255
MAX_TEXT_CHARS = 2000
MAX_PATH_CHARS = 4096
MAX_LIST = 1024
COUNT = Field(None, ge=0, le=2**63 - 1)

Name = Annotated[Text, Field(max_length=MAX_NAME_CHARS)]
Path = Annotated[Text, Field(max_length=MAX_PATH_CHARS)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)


class AtaAttributeWire(_Wire):
    id: int = Field(..., ge=1, le=255)
    name: Name = ""
    normalized: int | None = Field(None, ge=0, le=2**16)
    worst: int | None = Field(None, ge=0, le=2**16)
    threshold: int | None = Field(None, ge=0, le=2**16)
    raw: int = Field(0, ge=0, le=2**64 - 1)
    raw_string: Name = ""
    count: int = Field(..., ge=0, le=2**63 - 1, description="What the hub judges")
    failing: Literal["now", "past"] | None = None


class NvmeHealthWire(_Wire):
    critical_warning: int = Field(0, ge=0, le=255)
    critical_warnings: list[Name] = Field(default_factory=list, max_length=16)
    media_errors: int | None = COUNT
    available_spare_percent: int | None = Field(None, ge=0, le=255)
    available_spare_threshold_percent: int | None = Field(None, ge=0, le=255)
    used_percent: int | None = Field(None, ge=0, le=255)
    unsafe_shutdowns: int | None = COUNT
    power_cycles: int | None = COUNT
    error_log_entries: int | None = COUNT
    data_read_bytes: int | None = COUNT
    data_written_bytes: int | None = COUNT


class ScsiHealthWire(_Wire):
    grown_defects: int | None = COUNT
    uncorrected_read_errors: int | None = COUNT
    uncorrected_write_errors: int | None = COUNT
    uncorrected_verify_errors: int | None = COUNT


class DriveReport(_Wire):
    """One drive as the agent read it (ADR 0004)."""

    id: Annotated[Text, Field(min_length=1, max_length=MAX_NAME_CHARS)]
    name: Path
    device_type: Name | None = None
    state: Literal["ok", "asleep", "power_mode_unknown", "no_smart", "error"] = "ok"
    message: Annotated[Text, Field(max_length=MAX_TEXT_CHARS)] | None = None
    checked_at: datetime
    read_at: datetime | None = None
    asleep_since: datetime | None = None
    protocol: Name | None = None
    kind: Name = "unknown"
    model: Name | None = None
    serial: Name | None = None
    wwn: Name | None = None
    firmware: Name | None = None
    capacity_bytes: int | None = COUNT
    rotation_rpm: int | None = Field(None, ge=0, le=100_000)
    smart_passed: bool | None = None
    exit_status: int | None = Field(None, ge=0, le=255)
    exit_status_bits: list[Name] = Field(default_factory=list, max_length=16)
    temperature_celsius: int | None = Field(None, ge=-100, le=300)
    power_on_seconds: int | None = COUNT
    ata_attributes: list[AtaAttributeWire] | None = Field(None, max_length=64)
    nvme: NvmeHealthWire | None = None
    scsi: ScsiHealthWire | None = None
    block_devices: list[Name] = Field(default_factory=list, max_length=MAX_LIST)
    filesystems: list[Path] = Field(default_factory=list, max_length=MAX_LIST)
    capacity_domains: list[Path] = Field(default_factory=list, max_length=MAX_LIST)
    pools: list[Name] = Field(default_factory=list, max_length=MAX_LIST)


class PoolScanWire(_Wire):
    function: Name
    state: Name
    started_at: datetime | None = None
    ended_at: datetime | None = None
    progress_percent: float | None = Field(None, ge=0, le=100)
    examined_bytes: int | None = COUNT
    to_examine_bytes: int | None = COUNT
    repaired_bytes: int | None = COUNT
    errors: int | None = COUNT


class PoolDeviceWire(_Wire):
    name: Path
    state: Name | None = None
    kind: Name | None = None
    path: Path | None = None
    read_errors: int | None = COUNT
    write_errors: int | None = COUNT
    checksum_errors: int | None = COUNT
    flush_errors: int | None = COUNT
    corruption_errors: int | None = COUNT
    generation_errors: int | None = COUNT
    note: Annotated[Text, Field(max_length=MAX_TEXT_CHARS)] | None = None
    children: list["PoolDeviceWire"] = Field(default_factory=list, max_length=MAX_LIST)


class PoolReport(_Wire):
    """One ZFS pool, md array or btrfs filesystem as the agent read it (ADR 0004)."""

    kind: Literal["zfs", "md", "btrfs"]
    name: Annotated[Text, Field(min_length=1, max_length=MAX_NAME_CHARS)]
    state: Name
    source: Name = ""
    degraded: bool | None = None
    size_bytes: int | None = COUNT
    allocated_bytes: int | None = COUNT
    free_bytes: int | None = COUNT
    status: Annotated[Text, Field(max_length=MAX_TEXT_CHARS)] | None = None
    action: Annotated[Text, Field(max_length=MAX_TEXT_CHARS)] | None = None
    errors: Annotated[Text, Field(max_length=MAX_TEXT_CHARS)] | None = None
    data_errors: int | None = COUNT
    scan: PoolScanWire | None = None
    level: Name | None = None
    raid_devices: int | None = Field(None, ge=0, le=MAX_POOL_DEVICES)
    active_devices: int | None = Field(None, ge=0, le=MAX_POOL_DEVICES)
    sync_action: Name | None = None
    sync_progress_percent: float | None = Field(None, ge=0, le=100)
    mismatch_count: int | None = COUNT
    uuid: Name | None = None
    label: Name | None = None
    mount_point: Path | None = None
    devices: list[PoolDeviceWire] = Field(default_factory=list, max_length=MAX_LIST)

    @model_validator(mode="after")
    def _bounded_tree(self) -> "PoolReport":
        count = 0
        stack = [(d, 1) for d in self.devices]
        while stack:
            device, depth = stack.pop()
            count += 1
            if depth > MAX_POOL_DEPTH or count > MAX_POOL_DEVICES:
                raise ValueError(
                    f"pool {self.name!r}: its device tree passes {MAX_POOL_DEVICES} devices "
                    f"or {MAX_POOL_DEPTH} levels"
                )
            stack.extend((c, depth + 1) for c in device.children)
        return self


# ---- What the API answers ----


class DriveRead(BaseModel):
    """One drive of a server: identity, health with its reasons, and the key figures."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(..., description="The hub's id of this drive (for its history)")
    key: str = Field(..., description="The agent's stable identity (wwn:…, serial:…, path:…)")
    server_id: str
    name: str
    model: str | None
    serial: str | None
    kind: str
    state: str = Field(..., description="What the agent said: ok, asleep, no_smart, error, …")
    health: DriveHealth
    reasons: list[str]
    acknowledged: list[str] = Field(
        default_factory=list, description="Findings an operator acknowledged (quiet until change)"
    )
    temperature_celsius: int | None
    power_on_hours: int | None
    capacity_bytes: int | None
    attributes: dict[str, int] = Field(
        default_factory=dict, description="Key counts by name (`ata_5`, `nvme_media_errors`, …)"
    )
    used_percent: int | None = None
    available_spare_percent: int | None = None
    filesystems: list[str]
    pools: list[str]
    first_seen_at: datetime
    read_at: datetime | None
    checked_at: datetime
    asleep_since: datetime | None


class DriveList(BaseModel):
    data: list[DriveRead]
    count: int


class PoolRead(BaseModel):
    """One pool or array of a server: its state, health with reasons, and what the agent sent."""

    kind: str
    name: str
    state: str
    health: PoolHealth
    reasons: list[str]
    degraded_since: datetime | None
    last_scrub_at: datetime | None
    first_seen_at: datetime
    read_at: datetime
    detail: dict[str, Any] = Field(..., description="The agent's entry as sent (ADR 0004)")


class DrivePoint(BaseModel):
    """A raw reading, or a bucket of them (then the temperature is their mean, and its min/max
    are set, and each count is its highest)."""

    at: datetime
    temperature_celsius: int | None
    temperature_min: int | None = None
    temperature_max: int | None = None
    power_on_hours: int | None
    attributes: dict[str, int]


class DriveHistory(BaseModel):
    drive_id: int
    range: HistoryRange
    resolution: Resolution = Field(
        description="raw: readings (hourly by default), kept for the hourly retention; daily beyond"
    )
    step_seconds: int = Field(description="Width of each point's bucket")
    points: list[DrivePoint]
