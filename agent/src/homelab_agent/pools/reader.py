"""Run the pool tools and read the kernel files; one broken source never hides the others."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from homelab_agent.filesystems.mounts import Mount, read_mount_table
from homelab_agent.pools import btrfs, md, zfs
from homelab_agent.pools.model import PoolSample

log = logging.getLogger(__name__)

Runner = Callable[[Sequence[str], float], "subprocess.CompletedProcess[str]"]
# Exit status of `zpool status -j` on OpenZFS before 2.3 (an unknown option): usage, status 2.
C_LOCALE = {**os.environ, "LC_ALL": "C"}


def run_command(argv: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a tool in the C locale with a deadline; its output as text."""
    return subprocess.run(
        list(argv), capture_output=True, text=True, timeout=timeout, env=C_LOCALE, check=False
    )


@dataclass
class PoolsResult:
    """The pools found and the problems met on the way (tool missing, refused, …)."""

    pools: list[PoolSample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class PoolReader:
    """Reads ZFS, md and btrfs state of one host."""

    proc_root: Path = Path("/proc")
    sys_root: Path = Path("/sys")
    zpool: str = "zpool"
    btrfs: str = "btrfs"
    timeout: float = 30.0
    run: Runner = run_command
    read_mounts: Callable[[Path], list[Mount]] = read_mount_table

    def read(self) -> PoolsResult:
        """Every pool, array and btrfs filesystem of the host."""
        result = PoolsResult()
        mounts = self._mounts(result)
        result.pools += self.zfs_pools(result, mounts)
        result.pools += self.md_arrays()
        result.pools += self.btrfs_filesystems(result, mounts)
        return result

    def _mounts(self, result: PoolsResult) -> list[Mount]:
        try:
            return self.read_mounts(self.proc_root)
        except OSError as exc:
            result.problems.append(f"mount table unreadable: {exc}")
            return []

    def _tool(self, name: str) -> str | None:
        return name if os.sep in name else shutil.which(name)

    def zfs_pools(self, result: PoolsResult, mounts: Sequence[Mount]) -> list[PoolSample]:
        """zpool JSON (2.3+), else zpool text, else kstat state files; none without ZFS."""
        kstat = zfs.read_kstat_states(self.proc_root)
        zpool = self._tool(self.zpool)
        if zpool is None or not (kstat or any(m.fs_type == "zfs" for m in mounts)):
            return kstat
        try:
            done = self.run([zpool, "status", "-j", "--json-int"], self.timeout)
            if done.returncode == 0 and done.stdout.lstrip().startswith("{"):
                return zfs.parse_zpool_json(json.loads(done.stdout))
            status = self.run([zpool, "status", "-p"], self.timeout)
            listing = self.run(
                [zpool, "list", "-Hp", "-o", "name,size,allocated,free"], self.timeout
            )
            if status.returncode == 0:
                return zfs.parse_zpool_status_text(
                    status.stdout, zfs.parse_zpool_list(listing.stdout)
                )
            result.problems.append(f"zpool status failed: {status.stderr.strip()[:200]}")
        except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
            result.problems.append(f"zpool: {exc}")
        return kstat

    def md_arrays(self) -> list[PoolSample]:
        """md arrays from mdstat, refined from sysfs."""
        try:
            text = (self.proc_root / "mdstat").read_text(encoding="utf-8")
        except OSError:
            return []
        return [md.refine_from_sysfs(a, self.sys_root) for a in md.parse_mdstat(text)]

    def btrfs_filesystems(self, result: PoolsResult, mounts: Sequence[Mount]) -> list[PoolSample]:
        """Each mounted btrfs filesystem with its devices' error counters."""
        by_device = {
            dev: uuid
            for uuid, devs in btrfs.sysfs_filesystems(self.sys_root).items()
            for dev in devs
        }
        seen: dict[str, str] = {}
        for mount in mounts:
            if mount.fs_type != "btrfs":
                continue
            uuid = by_device.get(Path(mount.source).name)
            if uuid is not None and uuid not in seen:
                seen[uuid] = mount.mount_point
        tool = self._tool(self.btrfs)
        samples = []
        for uuid, mount_point in seen.items():
            sample = None
            if tool is not None:
                sample = self._device_stats(tool, uuid, mount_point, result)
            samples.append(sample or btrfs.sysfs_filesystem(self.sys_root, uuid, mount_point))
        return samples

    def _device_stats(
        self, tool: str, uuid: str, mount_point: str, result: PoolsResult
    ) -> PoolSample | None:
        try:
            # Without -c: the exit status stays 0 whatever the counters (btrfs-device(8)).
            done = self.run([tool, "device", "stats", mount_point], self.timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            result.problems.append(f"btrfs device stats {mount_point}: {exc}")
            return None
        devices = btrfs.parse_device_stats(done.stdout)
        if done.returncode != 0 or not devices:
            return None  # not root: sysfs has the counters by devid
        label = btrfs.label(self.sys_root, uuid)
        return btrfs.filesystem_sample(uuid, label, mount_point, devices, "btrfs-device-stats")
