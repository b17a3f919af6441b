"""Pure parsing of `smartctl --json` output: a scan, a device's reading, the exit status.

Field names follow smartctl 7.x's JSON (smartmontools' `json_format_version` 1.0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homelab_agent.drives.model import AtaAttribute, NvmeHealth, ScsiHealth, SmartReading

# The ATA attributes the hub judges (Backblaze's and Checkmk's sets): reallocated sectors (5),
# spin retries (10), end-to-end errors (184), reported uncorrectable (187), command timeouts
# (188), reallocation events (196), pending (197), offline uncorrectable (198), UDMA CRC (199).
KEY_ATA_ATTRIBUTES = (5, 10, 184, 187, 188, 196, 197, 198, 199)

# smartctl(8), EXIT STATUS: one name per bit, lowest first.
EXIT_STATUS_BITS = (
    "command_line_error",
    "device_open_failed",
    "command_failed",
    "disk_failing",
    "prefail_attribute_below_threshold",
    "attribute_below_threshold_in_past",
    "error_log_has_errors",
    "self_test_log_has_errors",
)

# NVMe base specification, SMART / Health Information log, byte 0 (Critical Warning).
NVME_CRITICAL_WARNING_BITS = (
    "available_spare_below_threshold",
    "temperature_out_of_range",
    "reliability_degraded",
    "media_read_only",
    "volatile_memory_backup_failed",
    "persistent_memory_region_unreliable",
)

# An NVMe "data unit" is 1,000 blocks of 512 bytes (NVMe base specification).
NVME_DATA_UNIT_BYTES = 512_000
LOW_WORD = 0xFFFF
PACKED_ABOVE = 0xFFFF_FFFF


class SmartctlOutputError(ValueError):
    """smartctl's output is not the JSON document it should be."""


def decode_bits(value: int, names: tuple[str, ...]) -> list[str]:
    """The names of the bits set in `value`, lowest first; unknown bits as `bit_N`."""
    found = [name for i, name in enumerate(names) if value >> i & 1]
    found += [f"bit_{i}" for i in range(len(names), value.bit_length()) if value >> i & 1]
    return found


def decode_exit_status(status: int) -> list[str]:
    """smartctl's exit status as the names of its bits (smartctl(8), EXIT STATUS)."""
    return decode_bits(status, EXIT_STATUS_BITS)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    return None


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def decode_raw_count(attribute_id: int, raw: int, raw_string: str) -> int:
    """The count an attribute's 48-bit raw value stands for.

    Seagate packs several 16-bit counters into one raw value. For 188 (command timeouts) the
    three words are total timeouts and two latency buckets; smartctl's drive database prints
    them as `raw16` ("w2 w1 w0", e.g. "0 0 4"), and without that entry the whole 48 bits read as
    17,180,131,332 for 4 timeouts. 5 and 196 use smartctl's default `raw16(raw16)` format: the
    low word is the count, the upper words vendor data. Any other counter above 32 bits is
    packed the same way. The low word is the count in every case.
    """
    if attribute_id in (5, 188, 196) or raw > PACKED_ABOVE:
        return raw & LOW_WORD
    words = raw_string.split()
    if len(words) == 3 and all(w.isdigit() for w in words):  # "w2 w1 w0"
        return int(words[2])
    return raw


def _attribute(entry: Mapping[str, Any]) -> AtaAttribute | None:
    attribute_id = _int(entry.get("id"))
    raw = _dict(entry.get("raw"))
    raw_value = _int(raw.get("value"))
    if attribute_id is None or raw_value is None:
        return None
    raw_string = str(raw.get("string", raw_value)).strip()
    failed = _str(entry.get("when_failed"))
    return AtaAttribute(
        id=attribute_id,
        name=str(entry.get("name") or ""),
        normalized=_int(entry.get("value")),
        worst=_int(entry.get("worst")),
        threshold=_int(entry.get("thresh")),
        raw=raw_value,
        raw_string=raw_string,
        count=decode_raw_count(attribute_id, raw_value, raw_string),
        failing={"now": "now", "past": "past", "in_the_past": "past"}.get(failed or ""),
    )


def _ata_attributes(doc: Mapping[str, Any]) -> list[AtaAttribute] | None:
    table = _dict(doc.get("ata_smart_attributes")).get("table")
    if not isinstance(table, list):
        return None
    parsed = [_attribute(e) for e in table if isinstance(e, Mapping)]
    return [a for a in parsed if a is not None and a.id in KEY_ATA_ATTRIBUTES]


def _units_to_bytes(value: Any) -> int | None:
    units = _int(value)
    return None if units is None else units * NVME_DATA_UNIT_BYTES


def _nvme(doc: Mapping[str, Any]) -> NvmeHealth | None:
    log = doc.get("nvme_smart_health_information_log")
    if not isinstance(log, Mapping):
        return None
    warning = _int(log.get("critical_warning")) or 0
    return NvmeHealth(
        critical_warning=warning,
        critical_warnings=decode_bits(warning, NVME_CRITICAL_WARNING_BITS),
        media_errors=_int(log.get("media_errors")),
        available_spare_percent=_int(log.get("available_spare")),
        available_spare_threshold_percent=_int(log.get("available_spare_threshold")),
        used_percent=_int(log.get("percentage_used")),
        unsafe_shutdowns=_int(log.get("unsafe_shutdowns")),
        power_cycles=_int(log.get("power_cycles")),
        error_log_entries=_int(log.get("num_err_log_entries")),
        data_read_bytes=_units_to_bytes(log.get("data_units_read")),
        data_written_bytes=_units_to_bytes(log.get("data_units_written")),
    )


def _scsi(doc: Mapping[str, Any]) -> ScsiHealth | None:
    if _str(_dict(doc.get("device")).get("protocol")) != "SCSI":
        return None
    counters = _dict(doc.get("scsi_error_counter_log"))

    def uncorrected(kind: str) -> int | None:
        return _int(_dict(counters.get(kind)).get("total_uncorrected_errors"))

    return ScsiHealth(
        grown_defects=_int(doc.get("scsi_grown_defect_list")),
        uncorrected_read_errors=uncorrected("read"),
        uncorrected_write_errors=uncorrected("write"),
        uncorrected_verify_errors=uncorrected("verify"),
    )


def format_wwn(wwn: Any) -> str | None:
    """smartctl's `wwn` object as the 16 hex digits `/dev/disk/by-id/wwn-0x…` uses."""
    parts = _dict(wwn)
    naa, oui, ident = (_int(parts.get(k)) for k in ("naa", "oui", "id"))
    if naa is None or oui is None or ident is None:
        return None
    return f"0x{naa:x}{oui:06x}{ident:09x}"


def _capacity(doc: Mapping[str, Any]) -> int | None:
    capacity = _int(_dict(doc.get("user_capacity")).get("bytes"))
    if capacity is None:
        capacity = _int(doc.get("nvme_total_capacity"))
    if capacity is None and isinstance(doc.get("nvme_namespaces"), list):
        sizes = [_int(_dict(_dict(ns).get("size")).get("bytes")) for ns in doc["nvme_namespaces"]]
        capacity = sum(s for s in sizes if s is not None) or None
    return capacity


def drive_kind(protocol: str | None, device_type: str | None, rotation: int | None) -> str:
    """nvme, ssd (no rotation), hdd (a rotation rate) or unknown."""
    if protocol == "NVMe" or (device_type or "").startswith("nvme"):
        return "nvme"
    if rotation == 0:
        return "ssd"
    if rotation is not None and rotation > 0:
        return "hdd"
    return "unknown"


def _power_on_seconds(doc: Mapping[str, Any]) -> int | None:
    power_on = _dict(doc.get("power_on_time"))
    hours = _int(power_on.get("hours"))
    if hours is None:
        hours = _int(_dict(doc.get("nvme_smart_health_information_log")).get("power_on_hours"))
    if hours is None:
        return None
    return hours * 3600 + (_int(power_on.get("minutes")) or 0) * 60


def _messages(smartctl: Mapping[str, Any], doc: Mapping[str, Any]) -> list[str]:
    found = smartctl.get("messages", doc.get("messages"))
    if not isinstance(found, list):
        return []
    return [str(_dict(m).get("string", "")).strip() for m in found if _dict(m).get("string")]


def _version(smartctl: Mapping[str, Any]) -> tuple[int, int] | None:
    version = smartctl.get("version")
    if isinstance(version, list) and len(version) >= 2 and all(isinstance(v, int) for v in version):
        return (version[0], version[1])
    return None


def parse_reading(doc: Any, exit_status: int | None = None) -> SmartReading:
    """One device's smartctl JSON as a reading; `exit_status` defaults to the one it records."""
    if not isinstance(doc, Mapping):
        raise SmartctlOutputError("smartctl output is not a JSON object")
    device = _dict(doc.get("device"))
    smartctl = _dict(doc.get("smartctl"))
    status = exit_status if exit_status is not None else _int(smartctl.get("exit_status"))
    protocol = _str(device.get("protocol"))
    device_type = _str(device.get("type"))
    rotation = _int(doc.get("rotation_rate"))
    model = _str(doc.get("model_name")) or _str(doc.get("scsi_model_name"))
    if model is None and (_str(doc.get("scsi_vendor")) or _str(doc.get("scsi_product"))):
        model = " ".join(
            filter(None, (_str(doc.get("scsi_vendor")), _str(doc.get("scsi_product"))))
        )
    smart_support = _dict(doc.get("smart_support"))
    passed = _dict(doc.get("smart_status")).get("passed")
    return SmartReading(
        name=_str(device.get("name")) or "",
        device_type=device_type,
        protocol=protocol,
        model=model,
        serial=_str(doc.get("serial_number")),
        wwn=format_wwn(doc.get("wwn")),
        firmware=_str(doc.get("firmware_version")) or _str(doc.get("scsi_revision")),
        kind=drive_kind(protocol, device_type, rotation),
        capacity_bytes=_capacity(doc),
        rotation_rpm=rotation if rotation else None,
        smart_available=smart_support.get("available")
        if isinstance(smart_support.get("available"), bool)
        else None,
        smart_passed=passed if isinstance(passed, bool) else None,
        exit_status=status,
        exit_status_bits=decode_exit_status(status) if status is not None else [],
        temperature_celsius=_int(_dict(doc.get("temperature")).get("current")),
        power_on_seconds=_power_on_seconds(doc),
        ata_attributes=_ata_attributes(doc),
        nvme=_nvme(doc),
        scsi=_scsi(doc),
        messages=_messages(smartctl, doc),
        smartctl_version=_version(smartctl),
    )


def parse_scan(doc: Any) -> list[tuple[str, str | None]]:
    """`smartctl --scan-open --json`: (device, type) pairs; devices that failed to open too."""
    if not isinstance(doc, Mapping):
        raise SmartctlOutputError("smartctl --scan-open output is not a JSON object")
    devices = doc.get("devices")
    if not isinstance(devices, list):
        return []
    found: list[tuple[str, str | None]] = []
    for entry in devices:
        name = _str(_dict(entry).get("name"))
        if name and (name, _str(_dict(entry).get("type"))) not in found:
            found.append((name, _str(_dict(entry).get("type"))))
    return found


def stable_id(reading: SmartReading, name: str, device_type: str | None) -> str:
    """WWN, else model and serial, else the device path (with its type: megaraid,N share one)."""
    if reading.wwn and reading.wwn.strip("0x"):
        return f"wwn:{reading.wwn}"
    if reading.serial and reading.model:
        return f"serial:{reading.model}:{reading.serial}"
    return f"path:{name}" + (f":{device_type}" if device_type and "," in device_type else "")
