"""Which block devices, filesystems, capacity domains and pools live on a drive.

Read from `<sys>/block` (partitions, and holders: device mapper for LVM and LUKS, md arrays),
`<sys>/fs/btrfs/*/devices` (every device of a btrfs filesystem) and the ZFS pools' leaf vdevs,
matched against the mount table. Nothing hard-codes /sys or /dev: `sys_root` and `rootfs` come
from the config.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from homelab_agent.filesystems.domains import domain_by_mount, plan_domains
from homelab_agent.filesystems.filtering import Decision
from homelab_agent.filesystems.mounts import clean_text
from homelab_agent.pools.btrfs import sysfs_filesystems
from homelab_agent.pools.model import PoolSample, leaf_devices


@dataclass(frozen=True, slots=True)
class Placement:
    """What lives on one drive."""

    block_devices: list[str] = field(default_factory=list)
    filesystems: list[str] = field(default_factory=list)
    capacity_domains: list[str] = field(default_factory=list)
    pools: list[str] = field(default_factory=list)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


class Topology:
    """The host's block-device tree and mounts, built once per pass."""

    def __init__(
        self,
        sys_root: Path,
        decisions: Sequence[Decision] = (),
        pools: Sequence[PoolSample] = (),
        rootfs: Path = Path("/"),
    ) -> None:
        self.sys_root = sys_root
        self.rootfs = rootfs
        self.kept = [d.mount for d in decisions if d.kept]
        self.domains = domain_by_mount(plan_domains(decisions)) if decisions else {}
        self.btrfs = sysfs_filesystems(sys_root)
        self.pools = list(pools)
        self.dm_names = self._dm_names()

    def _dm_names(self) -> dict[str, str]:
        """`/dev/mapper/<name>` → dm-N."""
        names = {}
        for dm in (self.sys_root / "block").glob("dm-*"):
            name = _read(dm / "dm" / "name")
            if name:
                names[name] = dm.name
        return names

    def block_roots(self, device: str) -> list[str]:
        """The kernel's disks for a smartctl device (`/dev/nvme0` is namespaces nvme0n1, …)."""
        name = Path(device).name
        if (self.sys_root / "block" / name).exists():
            return [name]
        if re.fullmatch(r"nvme\d+", name):
            return sorted(p.name for p in (self.sys_root / "block").glob(f"{name}n*"))
        return []

    def descendants(self, disk: str) -> list[str]:
        """The disk, its partitions, and everything built on them (dm, md), depth first."""
        seen: list[str] = []
        todo = [disk]
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.append(name)
            node = self.sys_root / "class" / "block" / name
            if not node.exists():
                node = self.sys_root / "block" / name
            parts = (
                sorted(p.name for p in node.iterdir() if (p / "partition").exists())
                if node.is_dir()
                else []
            )
            holders = sorted(p.name for p in (node / "holders").glob("*"))
            todo += parts + holders
        return seen

    def _device_numbers(self, names: Sequence[str]) -> set[str]:
        numbers = set()
        for name in names:
            number = _read(self.sys_root / "class" / "block" / name / "dev") or _read(
                self.sys_root / "block" / name / "dev"
            )
            if number:
                numbers.add(number)
        return numbers

    def _source_name(self, source: str) -> str:
        if source.startswith("/dev/mapper/"):
            return self.dm_names.get(source.removeprefix("/dev/mapper/"), source)
        return Path(source).name

    def _zfs_leaf_name(self, path: str) -> str:
        """A vdev path (by-id links included) as the kernel's block device name."""
        full = path if path.startswith("/") else f"/dev/{path}"
        link = self.rootfs / full.lstrip("/")
        try:
            target = os.readlink(link)
            full = os.path.normpath(os.path.join(os.path.dirname(full), target))
        except OSError:
            pass
        return Path(full).name

    def place(self, device: str) -> Placement:
        """Block devices, filesystems, domains and pools on the drive at `device`."""
        names: list[str] = []
        for root in self.block_roots(device):
            names += [n for n in self.descendants(root) if n not in names]
        if not names:
            return Placement()
        numbers = self._device_numbers(names)
        btrfs_here = {uuid for uuid, devs in self.btrfs.items() if set(devs) & set(names)}
        btrfs_devices = {d for uuid in btrfs_here for d in self.btrfs[uuid]}
        pools: list[str] = [n for n in names if n.startswith("md")]
        pools += [f"btrfs:{uuid}" for uuid in sorted(btrfs_here)]
        zfs_pools = set()
        for pool in self.pools:
            if pool.kind != "zfs":
                continue
            leaves = {self._zfs_leaf_name(d.path or d.name) for d in leaf_devices(pool.devices)}
            if leaves & set(names):
                zfs_pools.add(pool.name)
                pools.append(pool.name)
        filesystems: list[str] = []
        for mount in self.kept:
            source = self._source_name(mount.source)
            on_drive = (
                mount.device_number in numbers
                or source in names
                or (mount.fs_type == "btrfs" and source in btrfs_devices)
                or (mount.fs_type == "zfs" and mount.source.split("/")[0] in zfs_pools)
            )
            if on_drive:
                filesystems.append(clean_text(mount.mount_point))
        domains = sorted({self.domains[f] for f in filesystems if f in self.domains})
        return Placement(names, filesystems, domains, pools)
