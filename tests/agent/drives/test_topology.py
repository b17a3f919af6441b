"""Which filesystems, domains and pools live on each drive of a fake host tree."""

from pathlib import Path

from homelab_agent.drives.topology import Topology
from homelab_agent.filesystems.filtering import decide
from homelab_agent.filesystems.mounts import read_mount_table
from homelab_agent.pools.model import PoolDevice, PoolSample
from tests.agent.drives.fake_host import BTRFS_UUID, make_host

TANK = PoolSample(
    kind="zfs",
    name="tank",
    state="ONLINE",
    source="zpool-json",
    devices=[
        PoolDevice(
            "tank",
            kind="root",
            children=[
                PoolDevice(
                    "wwn-0x5000c500a1b2c3d4-part1",
                    path="/dev/disk/by-id/wwn-0x5000c500a1b2c3d4-part1",
                ),
            ],
        )
    ],
)


def _topology(tmp_path: Path) -> Topology:
    sys_root, proc_root, rootfs = make_host(tmp_path)
    return Topology(sys_root, decide(read_mount_table(proc_root)), [TANK], rootfs)


def test_partitions_md_and_lvm_on_a_drive_carry_their_filesystems(tmp_path: Path) -> None:
    placed = _topology(tmp_path).place("/dev/sda")

    assert placed.block_devices == ["sda", "sda1", "sda2", "md0", "dm-0"]
    assert placed.filesystems == ["/srv/media", "/data"]
    assert placed.capacity_domains == ["dev:/dev/mapper/vg-data", "dev:/dev/sda1"]
    assert placed.pools == ["md0"]


def test_the_other_md_member_shares_the_array_and_its_filesystem(tmp_path: Path) -> None:
    placed = _topology(tmp_path).place("/dev/sdb")
    assert (placed.filesystems, placed.pools) == (["/data"], ["md0"])


def test_an_nvme_controller_maps_to_its_namespaces_and_btrfs_subvolumes(tmp_path: Path) -> None:
    placed = _topology(tmp_path).place("/dev/nvme0")

    assert placed.block_devices == ["nvme0n1", "nvme0n1p1"]
    assert placed.filesystems == ["/home", "/home/.snapshots"]
    assert placed.pools == [f"btrfs:{BTRFS_UUID}"]


def test_a_zfs_vdev_by_id_places_the_pools_datasets_on_the_drive(tmp_path: Path) -> None:
    placed = _topology(tmp_path).place("/dev/sdc")
    assert (placed.filesystems, placed.capacity_domains, placed.pools) == (
        ["/tank/media"],
        ["zfs:tank"],
        ["tank"],
    )


def test_a_device_the_host_does_not_have_is_placed_nowhere(tmp_path: Path) -> None:
    placed = _topology(tmp_path).place("/dev/bus/0")
    assert (placed.block_devices, placed.filesystems) == ([], [])
