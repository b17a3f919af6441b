"""Run smartctl for each drive: read once, then never wake a sleeping disk (`-n standby`)."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from homelab_agent.drives.model import DriveState, SmartReading
from homelab_agent.drives.smart import SmartctlOutputError, parse_reading, parse_scan
from homelab_agent.payload import utc_now

log = logging.getLogger(__name__)

# `-n standby,STATUS,STATUS2` (smartctl(8), smartmontools 7.3+): exit with STATUS when the disk
# is in STANDBY or SLEEP, and with STATUS2 when its power mode cannot be checked (a USB bridge
# that does not pass CHECK POWER MODE), instead of spinning it up. Bits 0 and 1 together (3) and
# bits 0 and 2 (5) never come from a real read: a command-line error (bit 0) exits at once.
STANDBY_STATUS = 3
UNKNOWN_POWER_STATUS = 5
SMARTCTL_73 = (7, 3)
PERMISSION_WORDS = ("Permission denied", "Operation not permitted")
NO_SMART_WORDS = ("Unable to detect device type", "SMART support is: Unavailable", "Unknown USB")
# Block devices that are never drives (loop, RAM, device mapper, md, optical, floppy, network).
NOT_DRIVES = ("loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd", "rbd", "drbd")

Runner = Callable[[Sequence[str], float], "subprocess.CompletedProcess[str]"]


def run_smartctl(argv: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run smartctl with a deadline (killed when it passes)."""
    return subprocess.run(
        list(argv),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )


@dataclass(frozen=True, slots=True)
class Device:
    """A device to read: its path and smartctl `-d` type (None: let smartctl choose)."""

    name: str
    device_type: str | None = None

    @property
    def key(self) -> str:
        """The cache key: megaraid,N drives share a path."""
        return f"{self.name}|{self.device_type or ''}"


@dataclass
class DriveResult:
    """One device after a pass: its state, the reading in hand (new or cached) and when."""

    device: Device
    state: DriveState
    checked_at: str
    reading: SmartReading | None = None
    read_at: str | None = None
    asleep_since: str | None = None
    message: str | None = None


@dataclass
class ReadPass:
    """Every device of one pass, and problems to tell the operator once."""

    drives: list[DriveResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_device_entries(entries: Sequence[str]) -> list[Device]:
    """Config `drive_devices`: `PATH` or `PATH TYPE` (`/dev/sda megaraid,0`).

    An environment variable is split at commas, which also splits `megaraid,0`: a piece that
    does not start with `/` is joined back to the one before.
    """
    joined: list[str] = []
    for entry in entries:
        if joined and not entry.startswith("/"):
            joined[-1] += "," + entry
        else:
            joined.append(entry)
    devices = []
    for entry in joined:
        parts = entry.split(None, 1)
        devices.append(Device(parts[0], parts[1].strip() if len(parts) > 1 else None))
    return devices


class DriveReader:
    """Scans and reads drives, keeping each one's last data in a state file across restarts."""

    def __init__(
        self,
        *,
        smartctl: str = "smartctl",
        extra_devices: Sequence[str] = (),
        timeout: float = 30.0,
        state_path: Path | None = None,
        sys_root: Path = Path("/sys"),
        run: Runner = run_smartctl,
        clock: Callable[[], str] | None = None,
    ) -> None:
        self.smartctl = smartctl
        self.extra = parse_device_entries(extra_devices)
        self.timeout = timeout
        self.state_path = state_path
        self.sys_root = sys_root
        self.run = run
        self.clock = clock or (lambda: utc_now().isoformat().replace("+00:00", "Z"))
        self.cache: dict[str, dict[str, Any]] = self._load()

    def _load(self) -> dict[str, dict[str, Any]]:
        if self.state_path is None:
            return {}
        try:
            data = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self) -> None:
        if self.state_path is None:
            return
        try:
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.state_path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.cache), encoding="utf-8")
            tmp.replace(self.state_path)
        except OSError as exc:
            log.warning("drives: cannot keep the drive cache in %s: %s", self.state_path, exc)

    def executable(self) -> str | None:
        """The smartctl to run, or None when there is none."""
        if os.sep in self.smartctl:
            return self.smartctl if os.access(self.smartctl, os.X_OK) else None
        return shutil.which(self.smartctl)

    def block_disks(self) -> list[str]:
        """Whole disks the kernel knows (`<sys>/block`), so a disk smartctl skips still shows."""
        try:
            names = sorted(p.name for p in (self.sys_root / "block").iterdir())
        except OSError:
            return []
        return [n for n in names if not n.startswith(NOT_DRIVES)]

    def devices(self, smartctl: str, result: ReadPass) -> list[Device]:
        """What smartctl's scan finds, the configured devices, then block disks it skipped."""
        found: list[Device] = []
        try:
            done = self.run([smartctl, "--scan-open", "--json=c"], self.timeout)
            found = [Device(n, t) for n, t in parse_scan(json.loads(done.stdout or "{}"))]
        except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
            result.problems.append(f"smartctl --scan-open failed: {exc}")
        configured = {d.name for d in self.extra}
        devices = [d for d in found if d.name not in configured] + self.extra
        covered = {Path(d.name).name for d in devices}
        for disk in self.block_disks():
            # smartctl names an NVMe drive by its controller (nvme0), the kernel by namespace.
            controller = re.match(r"^(nvme\d+)n\d+$", disk)
            if disk in covered or (controller is not None and controller[1] in covered):
                continue
            devices.append(Device(f"/dev/{disk}"))
        return devices

    def read_all(self) -> ReadPass:
        """One pass over every device."""
        result = ReadPass()
        smartctl = self.executable()
        if smartctl is None:
            result.problems.append(
                f"smartctl not found ({self.smartctl}): install smartmontools or set `smartctl`"
            )
            return result
        for device in self.devices(smartctl, result):
            result.drives.append(self.read(smartctl, device, result))
        self._save()
        return result

    def arguments(self, smartctl: str, device: Device) -> list[str]:
        """smartctl's argv for one device: `-n standby,…` once the device has been read."""
        argv = [smartctl, "--json=c", "-a"]
        if device.device_type:
            argv += ["-d", device.device_type]
        cached = self.cache.get(device.key)
        if (
            cached
            and cached.get("doc") is not None
            and not (device.device_type or "").startswith("nvme")
        ):
            version = tuple(cached.get("version") or (0, 0))
            if version >= SMARTCTL_73:
                argv += ["-n", f"standby,{STANDBY_STATUS},{UNKNOWN_POWER_STATUS}"]
            else:
                argv += ["-n", f"standby,{STANDBY_STATUS}"]
        return [*argv, device.name]

    def read(self, smartctl: str, device: Device, result: ReadPass) -> DriveResult:
        """Read one device, or say why not; a sleeping one keeps its cached reading."""
        now = self.clock()
        cached = self.cache.get(device.key, {})
        argv = self.arguments(smartctl, device)
        nocheck = "-n" in argv
        try:
            done = self.run(argv, self.timeout)
        except subprocess.TimeoutExpired:
            return self._stale(
                device, now, "error", f"smartctl did not answer within {self.timeout:g} s"
            )
        except OSError as exc:
            return self._stale(device, now, "error", f"smartctl could not run: {exc}")
        if nocheck and done.returncode == STANDBY_STATUS:
            return self._stale(device, now, "asleep", "in standby: not woken, last data kept")
        if nocheck and done.returncode == UNKNOWN_POWER_STATUS:
            message = (
                "power mode cannot be checked through this bridge: not read, so as not to wake it"
            )
            return self._stale(device, now, "power_mode_unknown", message)
        cached.pop("asleep_since", None)
        return self._answer(device, now, done, result)

    def _answer(
        self,
        device: Device,
        now: str,
        done: subprocess.CompletedProcess[str],
        result: ReadPass,
    ) -> DriveResult:
        """What a completed read says: data, no S.M.A.R.T., or refused."""
        try:
            doc = json.loads(done.stdout)
            reading = parse_reading(doc, done.returncode)
        except (ValueError, SmartctlOutputError) as exc:
            return self._stale(device, now, "error", f"smartctl output unreadable: {exc}")
        text = " ".join(reading.messages)
        if any(word in text for word in PERMISSION_WORDS):
            result.problems.append(
                f"smartctl cannot open {device.name}: permission denied (run the agent as root "
                "or with CAP_SYS_RAWIO and CAP_SYS_ADMIN)"
            )
            return self._stale(device, now, "error", f"permission denied: {text}"[:500])
        has_data = reading.smart_passed is not None or reading.nvme or reading.ata_attributes
        if not has_data:
            no_smart = (
                reading.smart_available is False
                or any(w in text for w in NO_SMART_WORDS)
                or "device_open_failed" not in reading.exit_status_bits
            )
            state: DriveState = "no_smart" if no_smart else "error"
            return DriveResult(
                device, state, now, reading, None, None, text[:500] or "no S.M.A.R.T. data"
            )
        self.cache[device.key] = {
            "doc": doc,
            "exit_status": done.returncode,
            "read_at": now,
            "version": list(reading.smartctl_version or (0, 0)),
        }
        return DriveResult(device, "ok", now, reading, now, None, None)

    def _stale(self, device: Device, now: str, state: DriveState, message: str) -> DriveResult:
        """A result with the cached reading (if any) and when it was taken."""
        cached = self.cache.get(device.key)
        reading = None
        if cached and cached.get("doc") is not None:
            try:
                reading = parse_reading(cached["doc"], cached.get("exit_status"))
            except SmartctlOutputError:
                reading = None
        asleep_since = cached.get("asleep_since") if cached else None
        if state == "asleep" and cached is not None and asleep_since is None:
            cached["asleep_since"] = asleep_since = now
        read_at = cached.get("read_at") if cached else None
        return DriveResult(device, state, now, reading, read_at, asleep_since, message)
