"""Whose mount table the agent reads, judged on real tables: every host of the corpus, the LXC
containers of the corpus, and Docker containers' tables from public threads (fixtures/)."""

import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from homelab_agent.config import AgentConfig
from homelab_agent.doctor import mount_table
from homelab_agent.filesystems.mounts import Mount, parse_mount_table, read_raw_text

CORPUS = Path(__file__).parents[1] / "fixtures" / "mounts"
CONTAINERS = Path(__file__).parent / "fixtures"
# Tables read inside a container. The unprivileged LXC one has an ext4 root on a loop device and
# nothing else of a container in its table: only the process's surroundings can tell.
LXC_LOOP_ROOT = "lxc_unprivileged_container_loop_root_excerpt.mountinfo"
CORPUS_CONTAINERS = {"lxc_container_btrfs_rootfs_indented_excerpt.mountinfo", LXC_LOOP_ROOT}
# A collage of edge cases written for the filter tests; one of its lines is a Docker
# container's /etc/hosts bind, which no host has (test below).
COLLAGE = "synthetic_homelab_edge_cases.mountinfo"
HOSTS = sorted(
    p.name for p in CORPUS.iterdir() if p.suffix in (".mountinfo", ".mounts")
    and p.name not in {*CORPUS_CONTAINERS, COLLAGE}
)  # fmt: skip
CONTAINER_TABLES = [
    CONTAINERS / "docker_desktop_container_overlay_root_excerpt.mountinfo",
    CONTAINERS / "netdata_container_host_proc_self_excerpt.mountinfo",
    CONTAINERS / "synology_docker_container_btrfs_root_excerpt.mountinfo",
    CORPUS / "lxc_container_btrfs_rootfs_indented_excerpt.mountinfo",
]


def _table(path: Path) -> list[Mount]:
    return parse_mount_table(read_raw_text(path))


@pytest.mark.parametrize("name", HOSTS)
def test_no_host_of_the_corpus_reads_as_a_container(name: str) -> None:
    # Docker hosts (aufs, overlay2, devicemapper), Kubernetes nodes, Fedora Atomic's composefs
    # overlay root, the Docker for Mac VM's tmpfs root: hosts all, whatever runs on them.
    assert mount_table.table_signs(_table(CORPUS / name)) == []


def test_a_runtime_file_bind_alone_marks_a_container() -> None:
    assert mount_table.table_signs(_table(CORPUS / COLLAGE)) == [
        "/etc/hosts is mounted in by a container runtime"
    ]


@pytest.mark.parametrize("path", CONTAINER_TABLES, ids=lambda p: p.name)
def test_a_containers_own_table_says_so(path: Path) -> None:
    signs = mount_table.table_signs(_table(path))

    assert signs and signs[0].startswith("its root is")


def test_the_reason_names_the_overlay_or_the_folder() -> None:
    overlay = mount_table.table_signs(_table(CONTAINER_TABLES[0]))
    synology = mount_table.table_signs(_table(CONTAINER_TABLES[2]))

    assert overlay == ["its root is overlay, a container image's layers"]
    assert synology[0].startswith("its root is the folder /@docker/btrfs/subvolumes/")
    assert synology[0].endswith("of /dev/vg1000/lv")


def test_an_lxc_container_with_its_own_block_root_is_not_told_by_its_table() -> None:
    # The limit of judging by the table alone: this one reads like a small host.
    assert mount_table.table_signs(_table(CORPUS / LXC_LOOP_ROOT)) == []


def test_a_container_table_is_a_problem_whose_fix_mounts_the_host() -> None:
    mounts = _table(CONTAINER_TABLES[1])
    source = Path("/host/proc/self/mountinfo")

    finding = mount_table.check_mount_table(AgentConfig(), source, mounts, None, [])

    assert finding.status == "problem"
    assert "a container's own mount table /host/proc/self/mountinfo" in finding.message
    assert "not the host's disks" in finding.message
    assert any("-v /:/hostfs:ro,rslave --pid=host" in step for step in finding.fix)


def test_a_host_table_is_ok_and_names_the_root() -> None:
    mounts = _table(CORPUS / "raspberrypi4_bookworm.mounts")

    finding = mount_table.check_mount_table(AgentConfig(), Path("/proc"), mounts, None, [])

    assert finding.status == "ok"
    assert "root / is /dev/mmcblk0p2 (ext4)" in finding.message
    assert "not in a container" in finding.message


def test_signs_around_the_process_do_not_outweigh_a_host_table() -> None:
    # This development VM keeps a stray /.dockerenv from its image, yet its table is a host's.
    mounts = _table(CORPUS / "raspberrypi4_bookworm.mounts")
    around = ["/.dockerenv exists"]

    finding = mount_table.check_mount_table(AgentConfig(), Path("/proc"), mounts, None, around)

    assert finding.status == "ok"
    assert "/.dockerenv exists, but nothing in the table is a container's" in finding.message


def test_an_unreadable_table_is_a_problem(tmp_path: Path) -> None:
    finding = mount_table.check_mount_table(
        AgentConfig(), tmp_path / "self" / "mountinfo", None, "No such file or directory", []
    )

    assert finding.status == "problem"
    assert "cannot read the mount table" in finding.message


def test_process_signs_from_the_files_a_runtime_leaves(tmp_path: Path) -> None:
    root, proc = tmp_path / "root", tmp_path / "proc"
    (root / "run").mkdir(parents=True)
    (root / ".dockerenv").touch()
    (root / "run" / ".containerenv").touch()
    (proc / "self" / "ns").mkdir(parents=True)
    (proc / "1" / "ns").mkdir(parents=True)
    (proc / "self" / "cgroup").write_text("0::/system.slice/docker-3f298d752b3f.scope\n")
    # The namespace links as the kernel shows them; readlink needs no target.
    (proc / "self" / "ns" / "mnt").symlink_to("mnt:[4026532201]")
    (proc / "1" / "ns" / "mnt").symlink_to("mnt:[4026531841]")

    signs = mount_table.process_signs(root, proc, {"container": "podman"})

    assert signs == [
        "/.dockerenv exists",
        "/run/.containerenv exists",
        "container=podman is set",
        "its cgroup is a container's",
        "its mount namespace is not PID 1's",
    ]


def test_a_plain_host_process_shows_no_signs(tmp_path: Path) -> None:
    (tmp_path / "proc" / "self").mkdir(parents=True)
    (tmp_path / "proc" / "self" / "cgroup").write_text("0::/user.slice/session-1.scope\n")

    assert mount_table.process_signs(tmp_path, tmp_path / "proc", {}) == []


def test_mount_namespaces_differ_for_a_real_unshared_process() -> None:
    # A real second mount namespace (unshare -m needs root; CI runs as root).
    if os.geteuid() != 0:
        pytest.skip("unshare -m needs root")
    child = subprocess.Popen(["unshare", "-m", "sleep", "30"])
    try:
        proc = Path("/proc")
        for _ in range(100):
            theirs = mount_table.mount_namespace(proc, str(child.pid))
            if theirs != mount_table.mount_namespace(proc, "self"):
                break
            subprocess.run(["sleep", "0.05"], check=True)  # unshare has not exec'd yet
    finally:
        child.kill()
        child.wait()

    assert theirs is not None and theirs.startswith("mnt:[")
    assert theirs != mount_table.mount_namespace(proc, "self")


@pytest.mark.parametrize(
    ("value", "expected"), [("auto", None), ("off", None), ("/hostfs", Path("/hostfs"))]
)
def test_host_root_as_the_config_resolved_it(value: str, expected: Path | None) -> None:
    assert mount_table.host_root(replace(AgentConfig(), host_root=value)) == expected


def test_a_host_table_read_through_host_root_says_so() -> None:
    config = replace(AgentConfig(), host_root="/hostfs")
    mounts = _table(CORPUS / "fedora_workstation_efi_cifs_utillinux.mountinfo")
    source = Path("/hostfs/proc/1/mountinfo")

    finding = mount_table.check_mount_table(config, source, mounts, None, ["/.dockerenv exists"])

    assert finding.status == "ok"
    assert finding.message == (
        "the host's, read through /hostfs: root / is /dev/sda4 (ext4) (/hostfs/proc/1/mountinfo)"
    )


def test_host_root_that_holds_a_container_says_the_mount_is_wrong() -> None:
    config = replace(AgentConfig(), host_root="/srv/host")
    mounts = _table(CONTAINER_TABLES[0])

    finding = mount_table.check_mount_table(config, Path("/srv/host/proc/1/mountinfo"), mounts,
                                            None, [])  # fmt: skip

    assert finding.status == "problem"
    assert finding.fix == (
        "host_root is /srv/host, but it does not hold the host: start the container with "
        "`-v /:/srv/host:ro,rslave --pid=host`",
    )
