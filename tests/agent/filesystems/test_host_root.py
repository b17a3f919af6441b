"""The host seen from a container (`host_root`): the host init's mount table, every mount measured
below the root and reported by its host path, the other host files read there too.

The fake host roots hold real mount tables from the corpus: a host's as `proc/1/mountinfo` and
a container's own (an LXC container's) as `proc/self/mountinfo`, as /hostfs shows them to an
agent in a container. One test reads this machine's own root through `host_root: /`.
"""

import os
from dataclasses import replace
from pathlib import Path

import pytest

from homelab_agent.collectors.filesystems import FilesystemsCollector
from homelab_agent.collectors.os_info import OSInfoCollector
from homelab_agent.config import (
    AgentConfig,
    ConfigError,
    detect_host_root,
    load_config,
    resolve_host_root,
)
from homelab_agent.drives.collect import pool_reader
from homelab_agent.filesystems.filtering import FilterRules, decide
from homelab_agent.filesystems.mounts import parse_mount_table, read_mount_table
from homelab_agent.filesystems.statfs import StatvfsProber
from tests.agent.conftest import FakeStatvfs, mount_table, statvfs_result
from tests.agent.filesystems.test_filtering import CORPUS_EXPECTED

HOST_TABLE = "rhel_bind_mounts_md_raid_systemd_rhbug1554943.mountinfo"
CONTAINER_TABLE = "lxc_container_btrfs_rootfs_indented_excerpt.mountinfo"


def _host_root(tmp_path: Path, host_table: str = HOST_TABLE) -> Path:
    """A host's root as a container sees it at /hostfs: /proc with init's and its own tables."""
    root = tmp_path / "hostfs"
    (root / "proc" / "1").mkdir(parents=True)
    (root / "proc" / "self").mkdir()
    (root / "proc" / "1" / "mountinfo").write_text(mount_table(host_table), newline="")
    (root / "proc" / "self" / "mountinfo").write_text(mount_table(CONTAINER_TABLE), newline="")
    (root / "sys").mkdir()
    (root / "etc").mkdir()
    return root


def _expected(name: str) -> set[str]:
    return set(CORPUS_EXPECTED[name])


def test_a_host_root_places_the_roots_below_it_and_reads_init_s_mount_table(
    tmp_path: Path,
) -> None:
    root = _host_root(tmp_path)

    config = resolve_host_root(AgentConfig(host_root=str(root)))

    assert (config.proc_root, config.sys_root, config.rootfs) == (
        root / "proc", root / "sys", root,
    )  # fmt: skip
    assert config.mount_table_pid == "1"
    mounts = read_mount_table(config.proc_root, config.mount_table_pid)
    assert mounts == parse_mount_table(mount_table(HOST_TABLE))


@pytest.mark.parametrize(
    "host_table",
    [
        HOST_TABLE,
        "fedora_workstation_efi_cifs_utillinux.mountinfo",
        "kubernetes_node_kubelet_volumes_collage.mountinfo",
        "gentoo_docker_aufs_vfat_xfs_ntfs.mountinfo",
    ],
)
def test_the_collector_keeps_the_host_s_filesystems_not_the_container_s(
    tmp_path: Path, host_table: str
) -> None:
    root = _host_root(tmp_path, host_table)
    config = resolve_host_root(AgentConfig(host_root=str(root), spool_dir=tmp_path / "spool"))

    kept = {m.mount_point for m in FilesystemsCollector(config).kept_mounts()}

    # The container's own table (proc/self) keeps only its btrfs rootfs at /.
    assert kept == _expected(host_table)


def test_each_mount_is_measured_below_the_root_and_reported_by_its_host_path(
    tmp_path: Path,
) -> None:
    root = _host_root(tmp_path)
    config = resolve_host_root(
        AgentConfig(host_root=str(root), spool_dir=tmp_path / "spool", fstab="off")
    )
    sizes = {
        str(root): statvfs_result(blocks=1000, bfree=400, bavail=350),
        str(root / "Volumes/dune"): statvfs_result(blocks=8000, bfree=1000, bavail=900),
        str(root / "boot"): statvfs_result(blocks=100, bfree=50, bavail=50),
        str(root / "mnt/raid10"): statvfs_result(blocks=5000, bfree=2500, bavail=2400),
    }
    fake = FakeStatvfs(sizes)
    collector = FilesystemsCollector(config, prober=StatvfsProber(fake, timeout=1.0))

    reported = {fs.mount_point: fs.total_bytes for fs in collector.collect().filesystems}

    assert sorted(fake.calls) == sorted(sizes)
    assert reported == {
        "/": 1000 * 4096, "/Volumes/dune": 8000 * 4096, "/boot": 100 * 4096,
        "/mnt/raid10": 5000 * 4096,
    }  # fmt: skip


def test_auto_takes_hostfs_only_when_init_s_mount_table_is_readable_there(
    tmp_path: Path,
) -> None:
    root = _host_root(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()

    found = resolve_host_root(AgentConfig(), detect=lambda: detect_host_root(root))
    absent = resolve_host_root(AgentConfig(), detect=lambda: detect_host_root(empty))

    assert (found.host_root, found.proc_root, found.mount_table_pid) == (
        str(root), root / "proc", "1",
    )  # fmt: skip
    assert (absent.host_root, absent.proc_root, absent.mount_table_pid) == (
        "off",
        Path("/proc"),
        "self",
    )


def test_load_config_reads_host_root_from_the_environment_and_set_roots_win(
    tmp_path: Path,
) -> None:
    root = _host_root(tmp_path)
    config_file = tmp_path / "config.yaml"
    config_file.write_text(f"host_root: {root}\n")
    env = {"HOMELAB_AGENT_SYS_ROOT": "/elsewhere/sys"}

    from_file = load_config(config_file, env={}, hostname="h")
    with_sys = load_config(config_file, env=env, hostname="h")
    off = load_config(config_file, env={"HOMELAB_AGENT_HOST_ROOT": "off"}, hostname="h")

    assert (from_file.proc_root, from_file.sys_root, from_file.rootfs) == (
        root / "proc", root / "sys", root,
    )  # fmt: skip
    assert (with_sys.proc_root, with_sys.sys_root) == (root / "proc", Path("/elsewhere/sys"))
    assert (off.proc_root, off.rootfs, off.mount_table_pid) == (Path("/proc"), Path("/"), "self")


def test_a_relative_host_root_is_refused_with_the_key_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="host_root"):
        load_config(tmp_path / "none.yaml", env={"HOMELAB_AGENT_HOST_ROOT": "hostfs"})


def test_without_init_s_mountinfo_the_fallback_is_init_s_mounts_not_the_container_s(
    tmp_path: Path,
) -> None:
    root = _host_root(tmp_path)
    (root / "proc" / "1" / "mountinfo").unlink()
    (root / "proc" / "1" / "mounts").write_text(
        mount_table("centos_xfs_docker_userns_overlay2.mounts"), newline=""
    )
    # Inside a container <proc>/mounts is a link to self/mounts: the container's own table.
    (root / "proc" / "mounts").write_text(mount_table("wsl2_ubuntu.mounts"), newline="")
    config = resolve_host_root(AgentConfig(host_root=str(root)))

    mounts = read_mount_table(config.proc_root, config.mount_table_pid)

    kept = {d.mount.mount_point for d in decide(mounts, FilterRules()) if d.kept}
    assert kept == _expected("centos_xfs_docker_userns_overlay2.mounts")


def test_os_info_fstab_and_the_pool_reader_go_through_the_root(tmp_path: Path) -> None:
    root = _host_root(tmp_path)
    (root / "etc" / "os-release").write_text('NAME="Host OS"\nVERSION_ID="12"\n')
    (root / "proc" / "sys" / "kernel").mkdir(parents=True)
    (root / "proc" / "sys" / "kernel" / "osrelease").write_text("6.1.0-host\n")
    (root / "etc" / "fstab").write_text("/dev/sdz1 /srv/backup ext4 defaults 0 2\n")
    config = resolve_host_root(AgentConfig(host_root=str(root), spool_dir=tmp_path / "spool"))

    info = OSInfoCollector(config).collect()
    expected = FilesystemsCollector(config).expected()
    pools = pool_reader(config)

    assert (info.distribution, info.version, info.kernel) == ("Host OS", "12", "6.1.0-host")
    assert [m.mount_point for m in expected] == ["/srv/backup"]
    assert {m.mount_point for m in pools.read_mounts(pools.proc_root)} == {
        m.mount_point for m in parse_mount_table(mount_table(HOST_TABLE))
    }
    assert pools.sys_root == root / "sys"


def test_this_machine_read_through_host_root_slash_matches_its_own_statvfs(
    tmp_path: Path,
) -> None:
    config = resolve_host_root(
        AgentConfig(host_root="/", spool_dir=tmp_path / "spool", fstab="off")
    )
    collector = FilesystemsCollector(config, prober=StatvfsProber(os.statvfs, timeout=5.0))

    report = collector.collect()

    assert config.mount_table_pid == "1"
    assert report.filesystems, "this machine has at least its root filesystem"
    for fs in report.filesystems:
        st = os.statvfs(fs.mount_point)
        assert fs.total_bytes == st.f_blocks * st.f_frsize, fs.mount_point


def test_a_config_without_host_root_keeps_reading_its_own_table() -> None:
    config = replace(AgentConfig(), proc_root=Path("/x/proc"))

    assert config.mount_table_pid == "self"
