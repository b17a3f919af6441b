"""The filesystems collector on fixture mount tables with an injected statvfs."""

import errno
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from homelab_agent.collectors.filesystems import FilesystemsCollector, host_path, mount_identity
from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.mounts import Mount, parse_mount_table
from homelab_agent.filesystems.statfs import StatvfsProber
from tests.agent.conftest import FakeStatvfs, mount_table, statvfs_result


def _reader(name: str) -> Callable[[Path], list[Mount]]:
    return lambda _proc_root: parse_mount_table(mount_table(name))


def test_collector_reports_sizes_for_each_real_filesystem(agent_config: AgentConfig) -> None:
    fake = FakeStatvfs(
        {
            "/": statvfs_result(blocks=1000, bfree=400, bavail=350, files=10, ffree=4),
            "/boot/firmware": statvfs_result(frsize=512, blocks=1000, bfree=900, bavail=900),
        }
    )
    collector = FilesystemsCollector(
        agent_config,
        prober=StatvfsProber(fake, timeout=1.0),
        read_mounts=_reader("raspberrypi4_bookworm.mounts"),
    )
    root, firmware = collector.collect().filesystems
    assert (root.mount_point, root.device, root.fs_type) == ("/", "/dev/mmcblk0p2", "ext4")
    assert (root.total_bytes, root.used_bytes, root.available_bytes) == (
        1000 * 4096, 600 * 4096, 350 * 4096,
    )  # fmt: skip
    assert (root.inodes_total, root.inodes_used, root.state) == (10, 6, "ok")
    assert firmware.percent == 10.0
    assert firmware.read_only is False


def test_hung_nfs_mount_does_not_delay_the_cycle_past_the_deadline(
    agent_config: AgentConfig,
    release_gates: Callable[[threading.Event], threading.Event],
) -> None:
    gate = release_gates(threading.Event())
    ok = statvfs_result(blocks=10, bfree=5, bavail=5)
    fake = FakeStatvfs({"/": ok, "/mnt/nfs/test": gate})
    config = replace(agent_config, statvfs_timeout=0.2)
    collector = FilesystemsCollector(
        config,
        prober=StatvfsProber(fake, timeout=config.statvfs_timeout),
        read_mounts=_reader("node_exporter_fixture_nfs_dupes.mountinfo"),
    )
    started = time.monotonic()
    root, nfs = collector.collect().filesystems
    assert time.monotonic() - started < 3.0
    assert not gate.is_set()
    assert root.state == "ok"
    assert (nfs.mount_point, nfs.state, nfs.available_bytes) == ("/mnt/nfs/test", "unreachable", 0)
    assert nfs.device == "192.168.1.1:/srv/test"


def test_refused_mount_is_left_out(agent_config: AgentConfig) -> None:
    fake = FakeStatvfs(
        {
            "/": statvfs_result(blocks=10, bfree=5, bavail=5),
            "/boot/efi": PermissionError(errno.EACCES, "Permission denied"),
        }
    )
    collector = FilesystemsCollector(
        agent_config,
        prober=StatvfsProber(fake, timeout=1.0),
        read_mounts=_reader("ubuntu2204_desktop_snaps.mounts"),
    )
    assert [s.mount_point for s in collector.collect().filesystems] == ["/"]


def test_mount_points_are_probed_below_the_host_root() -> None:
    assert host_path(Path("/host"), "/mnt/data") == "/host/mnt/data"
    assert host_path(Path("/host"), "/") == "/host"
    assert host_path(Path("/"), "/mnt/data") == "/mnt/data"


def test_collector_reads_the_configured_proc_root(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "mountinfo").write_bytes(
        b"20 1 8:4 / / rw - ext4 /dev/sda4 rw\n21 20 0:5 / /dev rw - devtmpfs udev rw\n"
    )
    config = AgentConfig(server_id="x", proc_root=proc)
    collector = FilesystemsCollector(config)
    assert [m.mount_point for m in collector.kept_mounts()] == ["/"]


def test_mounts_file_is_the_fallback_without_mountinfo(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "mounts").write_bytes(b"/dev/sda4 / ext4 rw 0 0\nproc /proc proc rw 0 0\n")
    collector = FilesystemsCollector(AgentConfig(server_id="x", proc_root=proc))
    assert [m.source for m in collector.kept_mounts()] == ["/dev/sda4"]


def test_mount_identity_tells_a_remount_on_the_same_path_apart() -> None:
    line = "{id} 1 0:{minor} / /mnt/nfs rw,relatime shared:1 - nfs4 nas:/export rw\n"
    (old,) = parse_mount_table(line.format(id=41, minor=52))
    (new,) = parse_mount_table(line.format(id=97, minor=61))
    (again,) = parse_mount_table(line.format(id=41, minor=52))
    assert mount_identity(old) != mount_identity(new)
    assert mount_identity(old) == mount_identity(again)
