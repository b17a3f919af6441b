"""btrfs device error counters: `btrfs device stats`, else sysfs `devinfo/*/error_stats`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from homelab_agent.pools.model import PoolDevice, PoolSample

# btrfs-device(8), DEVICE STATS; sysfs uses the same counters without `_io`.
COUNTERS = {
    "write_io_errs": "write_errors",
    "read_io_errs": "read_errors",
    "flush_io_errs": "flush_errors",
    "corruption_errs": "corruption_errors",
    "generation_errs": "generation_errors",
    "write_errs": "write_errors",
    "read_errs": "read_errors",
    "flush_errs": "flush_errors",
}
_STATS_LINE = re.compile(r"^\[(.+)\]\.(\w+)\s+(\d+)$")


def parse_device_stats(text: str) -> list[PoolDevice]:
    """`btrfs device stats` output: one device per `[/dev/x].counter value` group."""
    counts: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        match = _STATS_LINE.match(line.strip())
        if match and match[2] in COUNTERS:
            counts.setdefault(match[1], {})[COUNTERS[match[2]]] = int(match[3])
    return [PoolDevice(name=name, **values) for name, values in counts.items()]  # type: ignore[arg-type]


def parse_error_stats(text: str) -> dict[str, int]:
    """One sysfs `error_stats` file: counter name → value."""
    values: dict[str, int] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[0] in COUNTERS and fields[1].isdigit():
            values[COUNTERS[fields[0]]] = int(fields[1])
    return values


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def sysfs_filesystems(sys_root: Path) -> dict[str, list[str]]:
    """Each btrfs filesystem UUID with the block devices it is on (`/sys/fs/btrfs/*/devices`)."""
    found: dict[str, list[str]] = {}
    base = sys_root / "fs" / "btrfs"
    for fs in sorted(base.glob("*-*-*-*-*")):
        found[fs.name] = sorted(d.name for d in (fs / "devices").glob("*"))
    return found


def sysfs_filesystem(sys_root: Path, uuid: str, mount_point: str | None) -> PoolSample:
    """A btrfs filesystem from sysfs alone: devices by name, counters by devid (kernel ≥ 5.14)."""
    fs = sys_root / "fs" / "btrfs" / uuid
    devices = [PoolDevice(name=f"/dev/{d.name}") for d in sorted((fs / "devices").glob("*"))]
    stats = []
    for info in sorted(
        (fs / "devinfo").glob("*"), key=lambda p: int(p.name) if p.name.isdigit() else 0
    ):
        text = _read(info / "error_stats")
        if text is not None:
            stats.append(PoolDevice(name=f"devid {info.name}", **parse_error_stats(text)))  # type: ignore[arg-type]
    if len(stats) == len(devices) == 1:
        # One device: its counters are the filesystem's only devid's.
        stats = [PoolDevice(name=devices[0].name, **_counters(stats[0]))]  # type: ignore[arg-type]
    return filesystem_sample(uuid, label(sys_root, uuid), mount_point, stats or devices, "sysfs")


def label(sys_root: Path, uuid: str) -> str | None:
    """The filesystem's label, or None."""
    return (_read(sys_root / "fs" / "btrfs" / uuid / "label") or "").strip() or None


def _counters(device: PoolDevice) -> Mapping[str, int | None]:
    return {v: getattr(device, v) for v in set(COUNTERS.values())}


def filesystem_sample(
    uuid: str,
    label: str | None,
    mount_point: str | None,
    devices: Iterable[PoolDevice],
    source: str,
) -> PoolSample:
    """A btrfs filesystem as a pool: degraded when a write or flush error has been counted."""
    devices = list(devices)
    failing = any((d.write_errors or 0) + (d.flush_errors or 0) for d in devices)
    any_errors = any(any(v for v in _counters(d).values()) for d in devices)
    return PoolSample(
        kind="btrfs",
        name=label or uuid,
        state="errors" if any_errors else "ok",
        source=source,
        degraded=failing,
        uuid=uuid,
        label=label,
        mount_point=mount_point,
        devices=devices,
    )
