"""Whether smartctl is there and may open the drives, asked without waking a sleeping disk."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from homelab_agent.config import AgentConfig
from homelab_agent.doctor.findings import Finding, ok, problem, warning
from homelab_agent.drives.reader import (
    NO_SMART_WORDS,
    PERMISSION_WORDS,
    SMARTCTL_73,
    STANDBY_STATUS,
    UNKNOWN_POWER_STATUS,
    Device,
    DriveReader,
    ReadPass,
    Runner,
)

SMARTCTL_CHECK = "smartctl"
ACCESS_CHECK = "drive access"
CAP_SYS_RAWIO = 17
CAP_SYS_ADMIN = 21
JSON_SINCE = (7, 0)  # smartctl's --json first came with smartmontools 7.0
SYSTEMD_DIR = Path("/etc/systemd/system")
DROP_IN = "homelab-agent.service.d/drive-health.conf"
ABSENT_WORDS = ("No such file or directory", "No such device")
FIX_DROP_IN = (
    "systemd: `install.sh --drive-health` adds deploy/homelab-agent-drive-health.conf as "
    f"{SYSTEMD_DIR / DROP_IN}; by hand, copy it there and run "
    "`systemctl daemon-reload && systemctl restart homelab-agent`"
)
FIX_CONTAINER = (
    "in a container: the SMART profile of deploy/compose.yaml passes the drives "
    "(`--device /dev/sda`) and the capabilities (`--cap-add SYS_RAWIO`, SYS_ADMIN for NVMe)"
)


@dataclass(frozen=True, slots=True)
class Answer:
    """What smartctl said when asked to open one device."""

    device: Device
    outcome: str  # opened, asleep, no_smart, denied, absent, error
    text: str


def effective_capabilities(proc: Path = Path("/proc")) -> int:
    """This process's effective capability bits (0 when they cannot be read)."""
    try:
        for line in (proc / "self" / "status").read_text().splitlines():
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    except (OSError, ValueError, IndexError):
        pass
    return 0


def may_pass_through(caps: int) -> bool:
    """Whether these capabilities let smartctl send ATA/SCSI and NVMe commands."""
    return bool(caps >> CAP_SYS_RAWIO & 1 and caps >> CAP_SYS_ADMIN & 1)


def smartctl_version(smartctl: str, run: Runner, timeout: float) -> tuple[int, int] | None:
    """`smartctl --version`'s major and minor, or None when it does not say."""
    try:
        done = run([smartctl, "--version"], timeout)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"smartctl (\d+)\.(\d+)", done.stdout or "")
    return (int(found[1]), int(found[2])) if found else None


def open_argv(smartctl: str, device: Device, version: tuple[int, int] | None) -> list[str]:
    """Ask for the identity only, and never spin a sleeping disk up (`-n standby`)."""
    standby = f"standby,{STANDBY_STATUS}"
    if version is not None and version >= SMARTCTL_73:
        standby += f",{UNKNOWN_POWER_STATUS}"
    argv = [smartctl, "--json=c", "-i", "-n", standby]
    if device.device_type:
        argv += ["-d", device.device_type]
    return [*argv, device.name]


def classify(device: Device, done: subprocess.CompletedProcess[str]) -> Answer:
    """One device's answer in a word (smartctl(8): exit bit 1 is 'device open failed')."""
    try:
        doc = json.loads(done.stdout or "{}")
        messages = [str(m.get("string", "")) for m in doc.get("smartctl", {}).get("messages", [])]
    except (ValueError, AttributeError):
        messages = [(done.stdout or done.stderr or "").strip()[:200]]
    text = "; ".join(m for m in messages if m)
    if done.returncode == STANDBY_STATUS:
        return Answer(device, "asleep", text)
    if done.returncode == UNKNOWN_POWER_STATUS:
        return Answer(device, "opened", text)
    for words, outcome in (
        (PERMISSION_WORDS, "denied"),
        (ABSENT_WORDS, "absent"),
        (NO_SMART_WORDS, "no_smart"),
    ):
        if any(w in text for w in words):
            return Answer(device, outcome, text)
    return Answer(device, "error" if done.returncode & 2 else "opened", text)


def ask_devices(
    reader: DriveReader, smartctl: str, version: tuple[int, int] | None, deadline: float
) -> tuple[list[Answer], int]:
    """Every device the agent's reader finds, asked to open; and how many time left unasked."""
    devices = reader.devices(smartctl, ReadPass())
    answers: list[Answer] = []
    for device in devices:
        left = deadline - time.monotonic()
        if left <= 1:
            break
        try:
            done = reader.run(open_argv(smartctl, device, version), min(reader.timeout, left))
        except subprocess.TimeoutExpired:
            answers.append(Answer(device, "error", f"no answer within {reader.timeout:g} s"))
            continue
        except OSError as exc:
            answers.append(Answer(device, "error", str(exc)))
            continue
        answers.append(classify(device, done))
        if answers[-1].outcome == "denied" and not may_pass_through(effective_capabilities()):
            break  # every other drive is refused for the same reason
    return answers, len(devices) - len(answers)


def check_smartctl(
    config: AgentConfig, reader: DriveReader, version: tuple[int, int] | None
) -> Finding:
    """smartctl present, and new enough for the agent."""
    path = reader.executable()
    if path is None:
        return warning(
            SMARTCTL_CHECK,
            f"smartctl not found ({config.smartctl}): drive health stays empty",
            "install smartmontools (`apt install smartmontools`), or set `smartctl` to its path",
        )
    if version is None:
        return warning(SMARTCTL_CHECK, f"{path} does not say its version")
    shown = f"smartctl {version[0]}.{version[1]} ({path})"
    if version < JSON_SINCE:
        return problem(
            SMARTCTL_CHECK,
            f"{shown} has no JSON output; the agent needs 7.0 or newer",
            "install smartmontools 7.0 or newer (Debian 11+, Ubuntu 20.04+)",
        )
    return ok(SMARTCTL_CHECK, shown)


def _list(answers: Sequence[Answer]) -> str:
    return ", ".join(a.device.name for a in answers)


def _cannot_open(answers: Sequence[Answer], unasked: int, euid: int, caps: int) -> Finding | None:
    """No drive, drives smartctl may not open, or drives missing from /dev; else None."""
    if not answers:
        if unasked:
            return warning(ACCESS_CHECK, f"{unasked} drives found, none asked in time")
        return warning(
            ACCESS_CHECK,
            "smartctl finds no drive and the kernel lists no disk: drive health stays empty",
            FIX_CONTAINER,
        )
    denied = [a for a in answers if a.outcome == "denied"]
    if denied and not (euid == 0 and may_pass_through(caps)):
        return warning(
            ACCESS_CHECK,
            f"smartctl may not open {_list(denied)} as uid {euid} without CAP_SYS_RAWIO and "
            f"CAP_SYS_ADMIN ({denied[0].text}): drive health stays empty",
            FIX_DROP_IN,
            FIX_CONTAINER,
        )
    absent = [a for a in answers if a.outcome == "absent"]
    if absent:
        return warning(
            ACCESS_CHECK,
            f"{_list(absent)} are known to the kernel but not in /dev here (a container "
            "given no devices?)",
            FIX_CONTAINER,
        )
    return None


WORDS = {
    "opened": "opened",
    "asleep": "asleep, not woken",
    "no_smart": "no S.M.A.R.T., e.g. a virtual disk",
    "denied": "refuses pass-through although smartctl has the capabilities",
    "error": "error",
}


def check_access(
    answers: Sequence[Answer],
    unasked: int,
    *,
    euid: int | None = None,
    caps: int | None = None,
    systemd_dir: Path = SYSTEMD_DIR,
) -> Finding:
    """Whether smartctl may open the drives as this user, and what the agent's service may do."""
    euid = os.geteuid() if euid is None else euid
    caps = effective_capabilities() if caps is None else caps
    refused = _cannot_open(answers, unasked, euid, caps)
    if refused is not None:
        return refused
    said = ", ".join(f"{a.device.name} ({WORDS[a.outcome]})" for a in answers)
    said += f"; {unasked} not asked in time" if unasked else ""
    trouble = [a for a in answers if a.outcome in ("denied", "error")]
    if trouble:
        return warning(
            ACCESS_CHECK,
            f"smartctl could not read every drive: {said} ({trouble[0].text})",
            "`smartctl -d test DEVICE` shows the type smartctl guesses; set another in "
            "`drive_devices` (`/dev/sdb sat`)",
        )
    unit = systemd_dir / "homelab-agent.service"
    if euid == 0 and unit.exists() and not (systemd_dir / DROP_IN).exists():
        return warning(
            ACCESS_CHECK,
            f"as root smartctl opens the drives ({said}), but the agent's service runs "
            "without the drive-health drop-in, so the agent itself may not",
            FIX_DROP_IN,
        )
    return ok(ACCESS_CHECK, f"smartctl asked each drive without waking it: {said}")


def drive_findings(config: AgentConfig, reader: DriveReader, deadline: float) -> list[Finding]:
    """The smartctl and drive access checks (one finding when drive health is switched off)."""
    if "drives" in config.disabled_collectors:
        return [ok(SMARTCTL_CHECK, "drive health is switched off (disabled_collectors: drives)")]
    path = reader.executable()
    timeout = max(min(reader.timeout, deadline - time.monotonic()), 1.0)
    version = smartctl_version(path, reader.run, timeout) if path else None
    found = check_smartctl(config, reader, version)
    if path is None or found.status != "ok":
        return [found]
    answers, unasked = ask_devices(reader, path, version, deadline)
    return [found, check_access(answers, unasked)]
