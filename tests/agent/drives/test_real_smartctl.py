"""Debian's smartctl run for real on this machine (`make test-py` installs smartmontools)."""

import shutil
from pathlib import Path

from homelab_agent.config import AgentConfig
from homelab_agent.drives.collect import drive_reader, drives_pass, pool_reader


def test_real_smartctl_on_a_disk_without_smart_says_so_cleanly(tmp_path: Path) -> None:
    assert shutil.which("smartctl"), "smartctl missing: `make test-py` installs smartmontools"
    config = AgentConfig(server_id="real", spool_dir=tmp_path / "spool")

    report = drives_pass(config, drive_reader(config), pool_reader(config))

    assert report.problems == []
    assert report.drives is not None and report.drives, "this machine has at least its root disk"
    for drive in report.drives:
        assert drive.state in {"ok", "no_smart", "asleep"}, drive
        if drive.state == "no_smart":
            assert drive.message and drive.smart_passed is None
    root_drives = [d for d in report.drives if "/" in d.filesystems]
    assert root_drives, "the root filesystem is placed on a drive"
