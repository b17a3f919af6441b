"""A fake host tree (sysfs, /proc, /dev/disk/by-id) with drives under md, LVM, btrfs and ZFS."""

import os
from pathlib import Path

BTRFS_UUID = "5a1e7c1b-2c3d-4e5f-8a9b-0c1d2e3f4a5b"
MOUNTINFO = """\
22 1 8:1 / /srv/media rw,relatime shared:1 - ext4 /dev/sda1 rw
23 1 253:0 / /data rw,relatime shared:2 - xfs /dev/mapper/vg-data rw
24 1 0:45 / /home rw,relatime shared:3 - btrfs /dev/nvme0n1p1 rw,subvolid=5,subvol=/
25 1 0:46 /@snapshots /home/.snapshots rw,relatime shared:4 - btrfs /dev/nvme0n1p1 rw,subvolid=257
26 1 0:50 / /tank/media rw,relatime shared:5 - zfs tank/media rw,xattr,posixacl
27 1 254:0 / / rw,relatime shared:6 - ext4 /dev/vda rw
"""


def _block(sys_root: Path, name: str, dev: str, parent: str | None = None) -> Path:
    """A block device directory, with /sys/class/block and (for a disk) /sys/block links."""
    base = sys_root / "devices" / "virtual" / "block"
    path = (base / parent / name) if parent else (base / name)
    path.mkdir(parents=True)
    (path / "dev").write_text(dev + "\n")
    (path / "holders").mkdir()
    if parent:
        (path / "partition").write_text(name[-1] + "\n")
    (sys_root / "class" / "block").mkdir(parents=True, exist_ok=True)
    (sys_root / "class" / "block" / name).symlink_to(path)
    if not parent:
        (sys_root / "block").mkdir(parents=True, exist_ok=True)
        (sys_root / "block" / name).symlink_to(path)
    return path


def _hold(sys_root: Path, lower: str, upper: str) -> None:
    (sys_root / "class" / "block" / lower / "holders" / upper).symlink_to(
        sys_root / "class" / "block" / upper
    )


def make_host(root: Path) -> tuple[Path, Path, Path]:
    """(sys_root, proc_root, rootfs) of the fake host."""
    sys_root, proc_root, rootfs = root / "sys", root / "proc", root / "root"
    for disk, dev, parts in (
        ("sda", "8:0", [("sda1", "8:1"), ("sda2", "8:2")]),
        ("sdb", "8:16", [("sdb2", "8:18")]),
        ("sdc", "8:32", [("sdc1", "8:33")]),
        ("nvme0n1", "259:0", [("nvme0n1p1", "259:1")]),
        ("vda", "254:0", []),
        ("loop0", "7:0", []),
    ):
        _block(sys_root, disk, dev)
        for part, part_dev in parts:
            _block(sys_root, part, part_dev, parent=disk)
    md0 = _block(sys_root, "md0", "9:0")
    (md0 / "md").mkdir()
    dm0 = _block(sys_root, "dm-0", "253:0")
    (dm0 / "dm").mkdir()
    (dm0 / "dm" / "name").write_text("vg-data\n")
    _hold(sys_root, "sda2", "md0")
    _hold(sys_root, "sdb2", "md0")
    _hold(sys_root, "md0", "dm-0")
    btrfs = sys_root / "fs" / "btrfs" / BTRFS_UUID
    (btrfs / "devices").mkdir(parents=True)
    (btrfs / "devices" / "nvme0n1p1").symlink_to(sys_root / "class" / "block" / "nvme0n1p1")
    (btrfs / "devinfo" / "1").mkdir(parents=True)
    (btrfs / "devinfo" / "1" / "error_stats").write_text(
        "write_errs 0\nread_errs 0\nflush_errs 0\ncorruption_errs 2\ngeneration_errs 0\n"
    )
    (btrfs / "label").write_text("home\n")
    by_id = rootfs / "dev" / "disk" / "by-id"
    by_id.mkdir(parents=True)
    os.symlink("../../sdc1", by_id / "wwn-0x5000c500a1b2c3d4-part1")
    (proc_root / "self").mkdir(parents=True)
    (proc_root / "self" / "mountinfo").write_text(MOUNTINFO)
    return sys_root, proc_root, rootfs
