"""The agent's heartbeat, built from fixture /proc data, validates against the hub's schema."""

import io
import json
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from homelab_agent.agent import build_heartbeat
from homelab_agent.cli import main
from homelab_agent.collectors import Collector, build_collectors
from homelab_agent.collectors.filesystems import FilesystemsCollector
from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.statfs import StatvfsProber
from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from tests.agent.conftest import MOUNT_TABLES, FakeStatvfs, statvfs_result

TABLES = sorted(p.name for p in MOUNT_TABLES.glob("*.mount*"))


def _fixture_host(tmp_path: Path, table: str) -> AgentConfig:
    """A fake host: /proc with the corpus mount table, a root with os-release."""
    proc = tmp_path / "proc"
    (proc / "self").mkdir(parents=True)
    (proc / "sys" / "kernel").mkdir(parents=True)
    name = "self/mountinfo" if table.endswith(".mountinfo") else "mounts"
    shutil.copyfile(MOUNT_TABLES / table, proc / name)
    (proc / "sys" / "kernel" / "osrelease").write_text("6.1.0-18-amd64\n")
    rootfs = tmp_path / "root"
    (rootfs / "etc").mkdir(parents=True)
    (rootfs / "etc" / "os-release").write_text('NAME="Debian GNU/Linux"\nVERSION_ID="12"\n')
    return AgentConfig(
        server_id="contract-host",
        hostname="contract-host",
        proc_root=proc,
        rootfs=rootfs,
        statvfs_timeout=0.2,
        disabled_collectors=("metrics",),
        fstab="off",
    )


@pytest.mark.parametrize("table", TABLES)
def test_heartbeat_from_fixture_proc_validates_against_the_hub_schema(
    tmp_path: Path, table: str
) -> None:
    config = _fixture_host(tmp_path, table)
    fake = FakeStatvfs({}, default=statvfs_result(blocks=1000, bfree=400, bavail=350, files=9))
    collectors: dict[str, Collector] = dict(build_collectors(config))
    collectors["filesystems"] = FilesystemsCollector(config, prober=StatvfsProber(fake, 1.0))
    body = json.loads(build_heartbeat(config, collectors).to_json())

    request = HeartbeatRequest.model_validate(body)

    assert request.filesystems
    assert request.collector_errors is None
    assert request.os_info is not None and request.os_info.kernel == "6.1.0-18-amd64"
    assert (request.os_info.distribution, request.os_info.version) == ("Debian GNU/Linux", "12")


def test_unreachable_filesystem_validates(tmp_path: Path) -> None:
    config = _fixture_host(tmp_path, "node_exporter_fixture_nfs_dupes.mountinfo")
    gate = threading.Event()
    # The agent probes each mount where the host's root is mounted (here the fixture root).
    hung = str(config.rootfs / "mnt/nfs/test")
    fake = FakeStatvfs({hung: gate}, default=statvfs_result(blocks=9, bfree=1, bavail=1))
    collectors: dict[str, Collector] = {
        "filesystems": FilesystemsCollector(config, prober=StatvfsProber(fake, 0.1))
    }
    try:
        body = json.loads(build_heartbeat(config, collectors).to_json())
    finally:
        gate.set()
    request = HeartbeatRequest.model_validate(body)
    assert request.filesystems is not None
    nfs = next(f for f in request.filesystems if f.mount_point == "/mnt/nfs/test")
    assert nfs.state is FilesystemState.UNREACHABLE
    assert nfs.available_bytes == 0


def test_dry_run_output_of_this_machine_validates() -> None:
    out = io.StringIO()
    env = {"HOMELAB_AGENT_CONFIG": "", "HOMELAB_AGENT_SERVER_ID": "dry-run-host"}
    assert main(["--once", "--dry-run"], env=env, out=out) == 0
    request = HeartbeatRequest.model_validate_json(out.getvalue())
    assert request.server_id == "dry-run-host"
    assert request.metrics is not None and request.metrics.memory_total_mb
    assert request.filesystems
    assert request.capacity_domains


DOMAIN_TABLES = Path(__file__).parents[1] / "agent" / "fixtures" / "domains"


@pytest.mark.parametrize("table", sorted(p.name for p in DOMAIN_TABLES.glob("*.mount*")))
def test_domains_and_missing_mounts_validate_and_round_trip(tmp_path: Path, table: str) -> None:
    config = _fixture_host(tmp_path, "raspberrypi4_bookworm.mounts")
    name = "self/mountinfo" if table.endswith(".mountinfo") else "mounts"
    (config.proc_root / "self" / "mountinfo").unlink(missing_ok=True)
    shutil.copyfile(DOMAIN_TABLES / table, config.proc_root / name)
    fstab = tmp_path / "fstab"
    fstab.write_text("LABEL=usb /mnt/usb\\040disk ext4 defaults,nofail 0 2\n")
    config = replace(config, fstab=str(fstab))
    fake = FakeStatvfs({}, default=statvfs_result(blocks=1000, bfree=400, bavail=350, files=9))
    collectors: dict[str, Collector] = {
        "filesystems": FilesystemsCollector(config, prober=StatvfsProber(fake, 1.0))
    }
    body = json.loads(build_heartbeat(config, collectors).to_json())

    request = HeartbeatRequest.model_validate(body)

    assert request.capacity_domains is not None
    sent = body["capacity_domains"]
    assert [d.model_dump() for d in request.capacity_domains] == sent
    keys = {d.key for d in request.capacity_domains}
    assert request.filesystems is not None
    for fs in request.filesystems:
        assert fs.capacity_domain in keys or fs.state is FilesystemState.MISSING
    missing = [fs for fs in request.filesystems if fs.state is FilesystemState.MISSING]
    assert [(fs.mount_point, fs.device) for fs in missing] == [("/mnt/usb disk", "LABEL=usb")]


def test_a_heartbeat_of_an_agent_without_domains_still_validates() -> None:
    body = {
        "server_id": "old",
        "hostname": "old",
        "timestamp": "2026-12-01T00:00:00Z",
        "filesystems": [
            {"mount_point": "/", "device": "/dev/sda1", "fs_type": "ext4", "total_bytes": 10,
             "used_bytes": 5, "available_bytes": 5, "percent": 50.0}
        ],
    }  # fmt: skip
    request = HeartbeatRequest.model_validate(body)
    assert request.capacity_domains is None
    assert request.filesystems is not None and request.filesystems[0].capacity_domain is None
