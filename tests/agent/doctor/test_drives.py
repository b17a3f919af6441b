"""smartctl present and permitted, run for real (`make disk-tools` installs smartmontools).

This VM has no S.M.A.R.T. disk: its only drive is a virtio disk (`/dev/vda`), so the paths that
run for real here are "no S.M.A.R.T.", "smartctl not found", and "not permitted" (smartctl
asked for SAT pass-through on the disk by a process without CAP_SYS_RAWIO). A drive asleep is
shown with smartctl's documented standby exit status, as no drive here can sleep.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from homelab_agent.config import AgentConfig
from homelab_agent.doctor import drives
from homelab_agent.doctor.command import drives_group
from homelab_agent.drives.reader import STANDBY_STATUS, Device, DriveReader, run_smartctl

AGENT = Path(sys.executable).parent / "homelab-agent"
SMARTCTL = shutil.which("smartctl")
needs_smartctl = pytest.mark.skipif(
    SMARTCTL is None, reason="smartctl missing: `make disk-tools` installs smartmontools"
)


def _real_version() -> tuple[int, int]:
    out = subprocess.run(["smartctl", "--version"], capture_output=True, text=True, check=True)
    found = re.search(r"smartctl (\d+)\.(\d+)", out.stdout)
    assert found
    return int(found[1]), int(found[2])


@needs_smartctl
def test_smartctl_is_found_with_its_version_and_this_vms_disk_has_no_smart(
    tmp_path: Path,
) -> None:
    config = AgentConfig(spool_dir=tmp_path)

    found = drives_group(config, time.monotonic() + 30)

    major, minor = _real_version()
    assert [f.check for f in found] == ["smartctl", "drive access"]
    assert found[0].status == "ok"
    assert found[0].message == f"smartctl {major}.{minor} ({SMARTCTL})"
    access = found[1]
    assert access.status in {"ok", "warning"}, access
    if os.geteuid() == 0 and Path("/dev/vda").exists():
        assert "/dev/vda (no S.M.A.R.T., e.g. a virtual disk)" in access.message
    # Nothing was written: doctor keeps no drive state.
    assert list(tmp_path.iterdir()) == []


def test_smartctl_not_found_is_a_warning_with_the_package_to_install(tmp_path: Path) -> None:
    config = AgentConfig(spool_dir=tmp_path, smartctl=str(tmp_path / "no-smartctl"))

    found = drives_group(config, time.monotonic() + 30)

    assert len(found) == 1
    assert found[0].status == "warning"
    assert "smartctl not found" in found[0].message
    assert "apt install smartmontools" in found[0].fix[0]


def test_drive_health_switched_off_is_said_once() -> None:
    config = AgentConfig(disabled_collectors=("drives",))

    found = drives_group(config, time.monotonic() + 30)

    assert [(f.status, f.message) for f in found] == [
        ("ok", "drive health is switched off (disabled_collectors: drives)")
    ]


def test_every_question_to_a_drive_keeps_it_asleep() -> None:
    device = Device("/dev/sdb", "sat")

    new = drives.open_argv("smartctl", device, (7, 3))
    old = drives.open_argv("smartctl", device, (7, 2))

    assert new == ["smartctl", "--json=c", "-i", "-n", "standby,3,5", "-d", "sat", "/dev/sdb"]
    assert old[3:5] == ["-n", "standby,3"]


@needs_smartctl
@pytest.mark.skipif(
    os.geteuid() != 0 or not Path("/dev/vda").exists(), reason="needs root and /dev/vda"
)
def test_without_cap_sys_rawio_smartctl_is_not_permitted_and_the_fix_names_the_drop_in(
    tmp_path: Path,
) -> None:
    # The agent's process without the capabilities, as the shipped unit runs it; SAT
    # pass-through asked for the disk (`drive_devices`), as for a USB bridge.
    config = tmp_path / "agent.yaml"
    config.write_text(f"drive_devices: ['/dev/vda sat']\nspool_dir: {tmp_path / 'spool'}\n")
    done = subprocess.run(
        ["setpriv", "--bounding-set=-sys_rawio,-sys_admin", "--inh-caps=-sys_rawio,-sys_admin",
         str(AGENT), "--config", str(config), "doctor", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    access = next(f for f in json.loads(done.stdout) if f["check"] == "drive access")
    assert access["status"] == "warning"
    assert access["message"].startswith(
        "smartctl may not open /dev/vda as uid 0 without CAP_SYS_RAWIO and CAP_SYS_ADMIN"
    )
    assert "drive health stays empty" in access["message"]
    assert "install.sh --drive-health" in access["fix"][0]
    assert "deploy/compose.yaml" in access["fix"][1]


@needs_smartctl
def test_real_answers_classify(tmp_path: Path) -> None:
    # A device that does not exist, asked for real: what a container given no devices sees.
    device = Device(str(tmp_path / "sdz"), "sat")
    done = run_smartctl(drives.open_argv("smartctl", device, _real_version()), 30)

    answer = drives.classify(device, done)

    assert answer.outcome == "absent", answer


def test_a_sleeping_drive_counts_as_opened_and_is_not_woken() -> None:
    # smartctl(8): with -n standby,3 it exits 3 when the disk is in STANDBY, without waking it.
    done = subprocess.CompletedProcess(["smartctl"], STANDBY_STATUS, "{}", "")
    answer = drives.classify(Device("/dev/sda"), done)

    finding = drives.check_access([answer], 0, euid=0, caps=0, systemd_dir=Path("/nonexistent"))

    assert finding.status == "ok"
    assert (
        finding.message
        == "smartctl asked each drive without waking it: /dev/sda (asleep, not woken)"
    )


def test_as_root_with_the_unit_but_without_the_drop_in_the_agent_itself_may_not(
    tmp_path: Path,
) -> None:
    (tmp_path / "homelab-agent.service").touch()
    answer = drives.Answer(Device("/dev/sda"), "opened", "")

    without = drives.check_access([answer], 0, euid=0, caps=-1, systemd_dir=tmp_path)
    (tmp_path / drives.DROP_IN).parent.mkdir()
    (tmp_path / drives.DROP_IN).touch()
    with_drop_in = drives.check_access([answer], 0, euid=0, caps=-1, systemd_dir=tmp_path)

    assert without.status == "warning"
    assert "runs without the drive-health drop-in" in without.message
    assert with_drop_in.status == "ok"


def test_no_drive_at_all_points_to_the_container_profile() -> None:
    finding = drives.check_access([], 0, euid=0, caps=-1)

    assert finding.status == "warning"
    assert "SMART profile of deploy/compose.yaml" in finding.fix[0]


@needs_smartctl
def test_the_reader_of_the_agent_finds_the_drives(tmp_path: Path) -> None:
    config = AgentConfig(spool_dir=tmp_path)
    reader = DriveReader(sys_root=config.sys_root, timeout=30)
    path = reader.executable()
    assert path is not None

    answers, unasked = drives.ask_devices(reader, path, _real_version(), time.monotonic() + 60)

    assert unasked == 0
    kernel_disks = {f"/dev/{n}" for n in reader.block_disks()}
    assert kernel_disks <= {a.device.name for a in answers}
