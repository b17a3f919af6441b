"""Capacity domains, table by table: which mounts share storage, and the domain's sizes."""

import threading
from dataclasses import asdict
from typing import Any

import pytest

from homelab_agent.collectors.filesystems import report_for
from homelab_agent.filesystems.domains import plan_domains
from homelab_agent.filesystems.filtering import decide
from homelab_agent.filesystems.mounts import parse_mount_table, read_raw_text
from homelab_agent.filesystems.statfs import StatvfsProber
from homelab_agent.payload import CapacityDomainSample
from tests.agent.conftest import DOMAIN_TABLES, MOUNT_TABLES, FakeStatvfs, statvfs_result

GIB_BLOCKS = 1024**3 // 4096  # 4 KiB blocks in a GiB

# key -> (kind, members, union_of), for every domain of the table, in table order.
DomainRows = dict[str, tuple[str, list[str], list[str] | None]]
EXPECTED_DOMAINS: dict[str, DomainRows] = {
    # Two pools; every dataset of a pool is one domain from the table alone (quotas need sizes).
    # /srv/media is a second mount of tank/media (the shorter path is the one reported, as for any
    # two mounts of one filesystem); the pool snapshot and pmxcfs are not disks.
    "proxmox_two_pools_quota.mountinfo": {
        "zfs:rpool": (
            "zfs_pool",
            ["/", "/rpool", "/rpool/data", "/rpool/data/subvol-101-disk-0"],
            None,
        ),
        "dev:/dev/sda2": ("device", ["/boot/efi"], None),
        "zfs:tank": ("zfs_pool", ["/tank", "/tank/backups", "/srv/media", "/tank/media"], None),
    },
    # Six subvolumes of one btrfs: one domain, every subvolume a member.
    "btrfs_subvolumes_utillinux.mountinfo": {
        "btrfs:/dev/sdc1": (
            "btrfs",
            ["/", "/mnt/a", "/var/lib/containers", "/var/lib/libvirt", "/var/tmp", "/var/cache"],
            None,
        ),
    },
    # Host bind mounts join the device they come from; container plumbing stays out.
    "docker_host_bind_mounts.mountinfo": {
        "dev:/dev/sda2": ("device", ["/", "/opt/stacks"], None),
        "dev:/dev/sda1": ("device", ["/boot/efi"], None),
        "dev:/dev/sdb1": ("device", ["/srv/appdata", "/home/alice/media"], None),
    },
    # The pool is a domain of its own made of three branches; the parity disk is not a branch.
    "mergerfs_three_disks.mounts": {
        "dev:/dev/nvme0n1p2": ("device", ["/"], None),
        "dev:/dev/sda1": ("device", ["/mnt/disk1"], None),
        "dev:/dev/sdb1": ("device", ["/mnt/disk2"], None),
        "dev:/dev/sdc1": ("device", ["/mnt/disk3"], None),
        "dev:/dev/sdd1": ("device", ["/mnt/parity1"], None),
        "union:/mnt/storage": (
            "union",
            ["/mnt/storage"],
            ["/mnt/disk1", "/mnt/disk2", "/mnt/disk3"],
        ),
    },
    # A custom fsname names no branch: the union is there, its branches unknown.
    "mergerfs_homelab_storage_excerpt.mounts": {
        "dev:/dev/sdb1": ("device", ["/srv/audio"], None),
        "dev:/dev/sda1": ("device", ["/srv/.disks/ssd-hot"], None),
        "dev:/dev/sdc1": ("device", ["/srv/.disks/hdd-cold"], None),
        "union:/srv/video": ("union", ["/srv/video"], []),
    },
    # Unraid: /mnt/user spans the array disks and the cache pool, /mnt/user0 the array only.
    "unraid_array_cache.mountinfo": {
        "dev:/dev/sda1": ("device", ["/boot"], None),
        "dev:/dev/md1p1": ("device", ["/mnt/disk1"], None),
        "dev:/dev/md2p1": ("device", ["/mnt/disk2"], None),
        "dev:/dev/md3p1": ("device", ["/mnt/disk3"], None),
        "btrfs:/dev/nvme0n1p1": ("btrfs", ["/mnt/cache"], None),
        "union:/mnt/user0": (
            "union",
            ["/mnt/user0"],
            ["/mnt/disk1", "/mnt/disk2", "/mnt/disk3"],
        ),
        "union:/mnt/user": (
            "union",
            ["/mnt/user"],
            ["/mnt/disk1", "/mnt/disk2", "/mnt/disk3", "/mnt/cache"],
        ),
        "btrfs:/dev/loop2": ("btrfs", ["/var/lib/docker"], None),
    },
    # One export at two paths (one written with a trailing slash) is one domain.
    "nfs_export_mounted_twice.mounts": {
        "dev:/dev/sda1": ("device", ["/"], None),
        "net:nas.lan:/volume1/media": ("network", ["/mnt/media", "/srv/jellyfin/media"], None),
        "net:nas.lan:/volume1/backup": ("network", ["/mnt/backup"], None),
    },
    # The corpus fixture: nfs4 twice (same device) and NFSv3 stacked over the second path.
    "node_exporter_fixture_nfs_dupes.mountinfo": {
        "dev:/dev/sda1": ("device", ["/"], None),
        "net:192.168.1.1:/srv/test": (
            "network",
            ["/mnt/nfs/test", "/mnt/nfs/test-dupe"],
            None,
        ),
    },
}


def _table(name: str) -> str:
    folder = DOMAIN_TABLES if (DOMAIN_TABLES / name).exists() else MOUNT_TABLES
    return read_raw_text(folder / name)


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED_DOMAINS.items()))
def test_domains_from_the_mount_table_alone(name: str, expected: DomainRows) -> None:
    plans = plan_domains(decide(parse_mount_table(_table(name))))
    got = {p.key: (p.kind, p.members, p.union_of) for p in plans}
    assert got == expected
    assert list(got) == list(expected)  # table order


def _zfs(avail_gib: float, used_gib: float) -> object:
    used = int(used_gib * GIB_BLOCKS)
    avail = int(avail_gib * GIB_BLOCKS)
    return statvfs_result(blocks=used + avail, bfree=avail, bavail=avail)


def _report(name: str, answers: dict[str, object]) -> dict[str, dict[str, Any]]:
    decisions = decide(parse_mount_table(_table(name)))
    prober = StatvfsProber(FakeStatvfs(answers, default=_zfs(10, 1)), timeout=2.0)
    report = report_for(decisions, prober)
    domains = {d.key: _fields(d) for d in report.capacity_domains}
    domains["__filesystems__"] = {f.mount_point: f.capacity_domain for f in report.filesystems}
    return domains


def _fields(obj: CapacityDomainSample) -> dict[str, Any]:
    return asdict(obj)


def test_proxmox_pool_is_counted_once_and_a_quota_dataset_is_its_own_child() -> None:
    # rpool has 400 GiB free; the container's subvolume has a refquota that leaves it 6 GiB.
    domains = _report(
        "proxmox_two_pools_quota.mountinfo",
        {
            "/": _zfs(400, 12),
            "/rpool": _zfs(400, 0.5),
            "/rpool/data": _zfs(400, 0.5),
            "/rpool/data/subvol-101-disk-0": _zfs(6, 2),
            "/boot/efi": statvfs_result(blocks=1000, bfree=900, bavail=900),
            "/tank": _zfs(3000, 1),
            "/tank/backups": _zfs(3000, 500),
            "/tank/media": _zfs(3000, 1500),
            "/srv/media": _zfs(3000, 1500),
        },
    )
    rpool = domains["zfs:rpool"]
    gib = 1024**3
    assert rpool["members"] == ["/", "/rpool", "/rpool/data"]
    assert rpool["available_bytes"] == 400 * gib
    # The pool's used bytes are those of all its datasets, the quota dataset's included.
    assert rpool["used_bytes"] == 15 * gib
    assert rpool["total_bytes"] == 415 * gib
    child = domains["zfs:rpool/data/subvol-101-disk-0"]
    assert child["kind"] == "zfs_dataset"
    assert child["parent"] == "zfs:rpool"
    assert child["members"] == ["/rpool/data/subvol-101-disk-0"]
    assert (child["used_bytes"], child["available_bytes"]) == (2 * gib, 6 * gib)
    tank = domains["zfs:tank"]
    assert tank["members"] == ["/tank", "/tank/backups", "/srv/media", "/tank/media"]
    assert tank["used_bytes"] == 2001 * gib  # /srv/media is the same dataset: not counted twice
    assert tank["available_bytes"] == 3000 * gib
    fs = domains["__filesystems__"]
    assert fs["/rpool/data/subvol-101-disk-0"] == "zfs:rpool/data/subvol-101-disk-0"
    assert fs["/"] == "zfs:rpool"
    assert fs["/srv/media"] == "zfs:tank"
    assert "/tank/media" not in fs  # reported as a member of tank, not as a second filesystem


def test_pool_free_space_moving_between_calls_is_no_quota() -> None:
    domains = _report(
        "proxmox_two_pools_quota.mountinfo",
        {"/": _zfs(400, 12), "/rpool": _zfs(399.99, 0.5), "/rpool/data": _zfs(400, 0.5)},
    )
    assert "zfs:rpool/data" not in domains
    assert "/rpool" in domains["zfs:rpool"]["members"]


def test_union_and_bind_domains_take_one_filesystems_figures() -> None:
    domains = _report(
        "docker_host_bind_mounts.mountinfo",
        {"/srv/appdata": statvfs_result(blocks=1000, bfree=300, bavail=250)},
    )
    appdata = domains["dev:/dev/sdb1"]
    assert appdata["members"] == ["/srv/appdata", "/home/alice/media"]
    assert (appdata["total_bytes"], appdata["used_bytes"], appdata["available_bytes"]) == (
        1000 * 4096, 700 * 4096, 250 * 4096,
    )  # fmt: skip


def test_unreachable_members_leave_the_domain_without_sizes() -> None:
    gate = threading.Event()
    decisions = decide(parse_mount_table(_table("nfs_export_mounted_twice.mounts")))
    fake = FakeStatvfs({"/mnt/media": gate}, default=statvfs_result(blocks=10, bfree=5, bavail=5))
    try:
        report = report_for(decisions, StatvfsProber(fake, timeout=0.2))
    finally:
        gate.set()
    media = next(d for d in report.capacity_domains if d.key == "net:nas.lan:/volume1/media")
    assert media.total_bytes is None and media.members == ["/mnt/media", "/srv/jellyfin/media"]
