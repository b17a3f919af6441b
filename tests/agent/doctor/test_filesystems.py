"""What the agent keeps, and which mounts it cannot measure: counts from real tables, and real
mounts that refuse statvfs or never answer it, set up in a private mount namespace."""

import ctypes.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from homelab_agent.config import AgentConfig
from homelab_agent.doctor import filesystems
from homelab_agent.filesystems.filtering import Decision, FilterRules, decide
from homelab_agent.filesystems.helper_client import HelperStatvfs
from homelab_agent.filesystems.mounts import parse_mount_table, read_mount_table, read_raw_text

CORPUS = Path(__file__).parents[1] / "fixtures" / "mounts"
CONTAINER = (
    Path(__file__).parent / "fixtures" / "docker_desktop_container_overlay_root_excerpt.mountinfo"
)
DRIVER = Path(__file__).parent / "mount_scenarios.py"


def _decisions(path: Path) -> list[Decision]:
    return decide(parse_mount_table(read_raw_text(path)), FilterRules())


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("rhel_bind_mounts_md_raid_systemd_rhbug1554943.mountinfo", 4),
        ("raspberrypi4_bookworm.mounts", 2),
        ("ubuntu_docker_aufs_host.mountinfo", 1),
    ],
)
def test_kept_and_dropped_are_counted_and_explain_is_named(name: str, kept: int) -> None:
    decisions = _decisions(CORPUS / name)

    finding = filesystems.check_kept(decisions)

    assert finding.status == "ok"
    assert finding.message.startswith(f"{kept} kept, {len(decisions) - kept} dropped")
    assert "homelab-agent filesystems --explain" in finding.message


def test_a_container_table_keeps_nothing_and_that_is_a_problem() -> None:
    finding = filesystems.check_kept(_decisions(CONTAINER))

    assert finding.status == "problem"
    assert finding.message == "no filesystem would be reported: all 7 mounts are dropped"


def test_this_machines_mounts_all_answer(tmp_path: Path) -> None:
    config = AgentConfig(spool_dir=tmp_path)
    decisions = decide(read_mount_table(Path("/proc")), FilterRules.from_config(config))
    helper = HelperStatvfs()
    try:
        prober = filesystems.doctor_prober(config, helper, 5.0)
        probed = filesystems.probe_kept(decisions, prober, Path("/"))
    finally:
        helper.abandon()

    assert filesystems.check_unreadable(probed).status == "ok"
    assert filesystems.check_hung(probed, 5.0).status == "ok"
    assert not (tmp_path / "stuck-mounts.json").exists()


def _root_namespace_missing() -> str | None:
    if os.geteuid() != 0:
        return "mounting in a private mount namespace needs root (CI runs as root)"
    if shutil.which("unshare") is None or shutil.which("setpriv") is None:
        return "needs unshare and setpriv (util-linux)"
    return None


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder every user may enter (pytest's tmp_path is root's only)."""
    path = Path(tempfile.mkdtemp(prefix="doctor-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _scenario(name: str, directory: Path, config: Mapping[str, object]) -> dict[str, Any]:
    path = directory / "agent.yaml"
    path.write_text(yaml.safe_dump(config))
    path.chmod(0o644)  # nobody reads it; it holds no token
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, str(DRIVER), name,
         str(directory), str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _finding(run: Mapping[str, Any], check: str) -> dict[str, Any]:
    found = [f for f in run["findings"] if f["check"] == check]
    assert len(found) == 1, run
    return dict(found[0])


@pytest.mark.skipif(_root_namespace_missing() is not None, reason=str(_root_namespace_missing()))
def test_a_mount_below_a_closed_folder_is_unreadable_without_the_capability(
    shared_dir: Path,
) -> None:
    disk = shared_dir / "closed" / "disk"
    config = {"include_mount_patterns": [str(disk)], "spool_dir": str(shared_dir / "spool")}

    result = _scenario("closed", shared_dir, config)

    without = _finding(result["without_dac"], "unreadable mounts")
    as_root = _finding(result["as_root"], "unreadable mounts")
    assert without["status"] == "warning"
    assert without["message"].startswith(f"{disk} refuses statvfs to uid 0")
    assert "CAP_DAC_READ_SEARCH" in without["fix"][0]
    assert as_root["status"] == "ok"
    assert as_root["message"].startswith("statvfs answers for every kept mount")


def _fuse_missing() -> str | None:
    if (reason := _root_namespace_missing()) is not None:
        return reason
    if not Path("/dev/fuse").exists() or ctypes.util.find_library("fuse") is None:
        return "needs /dev/fuse and libfuse2 (make test installs it)"
    return None


@pytest.mark.skipif(_fuse_missing() is not None, reason=str(_fuse_missing()))
def test_a_hung_fuse_mount_is_named_and_the_doctor_still_finishes(shared_dir: Path) -> None:
    # The hung-mount fixture of the filesystem tests: a FUSE daemon whose statfs never answers.
    config = {"statvfs_timeout": 2, "spool_dir": str(shared_dir / "spool")}

    result = _scenario("hung", shared_dir, config)

    print(json.dumps({"doctor_seconds": result["seconds"]}))
    assert result["mounted"] is True
    hung = _finding(result, "hung mounts")
    assert hung["status"] == "warning"
    assert hung["message"].startswith(f"{shared_dir / 'dead-sshfs'} (fuse.sshfs) did not answer")
    assert "within 2 s" in hung["message"]
    # Everything else was still checked, and the run ended (driver's timeout not reached).
    checks = [f["check"] for f in result["findings"]]
    assert {"mount table", "filesystems", "smartctl", "spool"} <= set(checks)


@pytest.mark.skipif(_root_namespace_missing() is not None, reason=str(_root_namespace_missing()))
def test_a_mount_table_with_a_runtimes_hostname_bind_is_a_container_and_exits_1(
    shared_dir: Path,
) -> None:
    result = _scenario("container", shared_dir, {"spool_dir": str(shared_dir / "spool")})

    table = _finding(result, "mount table")
    assert table["status"] == "problem"
    assert "/etc/hostname is mounted in by a container runtime" in table["message"]
    assert any("-v /:/hostfs:ro,rslave --pid=host" in step for step in table["fix"])
    assert result["rc"] == 1


@pytest.mark.skipif(_root_namespace_missing() is not None, reason=str(_root_namespace_missing()))
def test_the_host_seen_at_host_root_is_read_through_it(shared_dir: Path) -> None:
    host = shared_dir / "hostfs"
    config = {"host_root": str(host), "spool_dir": str(shared_dir / "spool")}

    result = _scenario("hostfs", shared_dir, config)

    table = _finding(result, "mount table")
    assert table["status"] == "ok"
    assert table["message"].startswith(f"the host's, read through {host}: root / is ")
    assert table["message"].endswith(f"({host}/proc/1/mountinfo)")
    assert _finding(result, "filesystems")["status"] == "ok"
    assert _finding(result, "unreadable mounts")["status"] == "ok"
