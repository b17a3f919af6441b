"""What the agent reports per drive (the `drives` list of the heartbeat, ADR 0004)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# ok: read now; asleep: in standby, not woken (cached data kept); power_mode_unknown: the
# bridge cannot tell whether the disk sleeps, so it was not asked (cached data kept);
# no_smart: the device answers no S.M.A.R.T. (virtual disks); error: the read failed.
DriveState = Literal["ok", "asleep", "power_mode_unknown", "no_smart", "error"]


@dataclass(frozen=True, slots=True)
class AtaAttribute:
    """One ATA S.M.A.R.T. attribute that matters for health."""

    id: int
    name: str
    normalized: int | None
    worst: int | None
    threshold: int | None
    raw: int
    raw_string: str
    # The count the raw value stands for, with vendor packing undone (Seagate's 48-bit words).
    count: int
    # smartctl's when_failed: "now", "past" or None.
    failing: str | None = None


@dataclass(frozen=True, slots=True)
class NvmeHealth:
    """The NVMe SMART / health information log fields that matter."""

    critical_warning: int
    critical_warnings: list[str]
    media_errors: int | None
    available_spare_percent: int | None
    available_spare_threshold_percent: int | None
    used_percent: int | None
    unsafe_shutdowns: int | None
    power_cycles: int | None
    error_log_entries: int | None
    data_read_bytes: int | None
    data_written_bytes: int | None


@dataclass(frozen=True, slots=True)
class ScsiHealth:
    """SCSI / SAS error counters."""

    grown_defects: int | None
    uncorrected_read_errors: int | None
    uncorrected_write_errors: int | None
    uncorrected_verify_errors: int | None


@dataclass(frozen=True, slots=True)
class SmartReading:
    """What one smartctl answer says about a drive (pure parse of its JSON)."""

    name: str
    device_type: str | None
    protocol: str | None
    model: str | None
    serial: str | None
    wwn: str | None
    firmware: str | None
    kind: str
    capacity_bytes: int | None
    rotation_rpm: int | None
    smart_available: bool | None
    smart_passed: bool | None
    exit_status: int | None
    exit_status_bits: list[str]
    temperature_celsius: int | None
    power_on_seconds: int | None
    ata_attributes: list[AtaAttribute] | None = None
    nvme: NvmeHealth | None = None
    scsi: ScsiHealth | None = None
    messages: list[str] = field(default_factory=list)
    smartctl_version: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class DriveSample:
    """One drive as sent to the hub: identity, the last reading, and what lives on it."""

    id: str
    name: str
    device_type: str | None
    state: DriveState
    message: str | None
    checked_at: str
    read_at: str | None
    asleep_since: str | None
    protocol: str | None
    kind: str
    model: str | None
    serial: str | None
    wwn: str | None
    firmware: str | None
    capacity_bytes: int | None
    rotation_rpm: int | None
    smart_passed: bool | None
    exit_status: int | None
    exit_status_bits: list[str]
    temperature_celsius: int | None
    power_on_seconds: int | None
    ata_attributes: list[AtaAttribute] | None
    nvme: NvmeHealth | None
    scsi: ScsiHealth | None
    block_devices: list[str]
    filesystems: list[str]
    capacity_domains: list[str]
    pools: list[str]
