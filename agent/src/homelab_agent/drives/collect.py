"""One drive pass: read every drive, place it on the host's filesystems and pools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from homelab_agent.config import AgentConfig
from homelab_agent.drives.model import DriveSample
from homelab_agent.drives.reader import DriveReader, DriveResult
from homelab_agent.drives.smart import stable_id
from homelab_agent.drives.topology import Placement, Topology
from homelab_agent.filesystems.filtering import FilterRules, decide
from homelab_agent.filesystems.mounts import read_mount_table
from homelab_agent.pools.model import PoolSample
from homelab_agent.pools.reader import PoolReader, PoolsResult

STATE_FILE = "drives-state.json"


@dataclass(frozen=True, slots=True)
class HealthReport:
    """What a drive or pool pass found, and problems to report (each once)."""

    drives: list[DriveSample] | None = None
    pools: list[PoolSample] | None = None
    problems: list[str] = field(default_factory=list)


def drive_sample(result: DriveResult, placement: Placement) -> DriveSample:
    """A device's result and placement as the heartbeat's drive."""
    r = result.reading
    device = result.device
    return DriveSample(
        id=stable_id(r, device.name, device.device_type) if r else f"path:{device.name}",
        name=device.name,
        device_type=device.device_type or (r.device_type if r else None),
        state=result.state,
        message=result.message,
        checked_at=result.checked_at,
        read_at=result.read_at,
        asleep_since=result.asleep_since,
        protocol=r.protocol if r else None,
        kind=r.kind if r else "unknown",
        model=r.model if r else None,
        serial=r.serial if r else None,
        wwn=r.wwn if r else None,
        firmware=r.firmware if r else None,
        capacity_bytes=r.capacity_bytes if r else None,
        rotation_rpm=r.rotation_rpm if r else None,
        smart_passed=r.smart_passed if r else None,
        exit_status=r.exit_status if r else None,
        exit_status_bits=list(r.exit_status_bits) if r else [],
        temperature_celsius=r.temperature_celsius if r else None,
        power_on_seconds=r.power_on_seconds if r else None,
        ata_attributes=r.ata_attributes if r else None,
        nvme=r.nvme if r else None,
        scsi=r.scsi if r else None,
        block_devices=placement.block_devices,
        filesystems=placement.filesystems,
        capacity_domains=placement.capacity_domains,
        pools=placement.pools,
    )


def pool_reader(config: AgentConfig) -> PoolReader:
    """The pool reader the config describes."""
    return PoolReader(
        proc_root=config.proc_root,
        sys_root=config.sys_root,
        read_mounts=partial(read_mount_table, pid=config.mount_table_pid),
        zpool=config.zpool,
        btrfs=config.btrfs,
        timeout=config.drives_timeout,
    )


def drive_reader(config: AgentConfig) -> DriveReader:
    """The drive reader the config describes, its cache in the spool folder."""
    return DriveReader(
        smartctl=config.smartctl,
        extra_devices=config.drive_devices,
        timeout=config.drives_timeout,
        state_path=Path(config.spool_dir) / STATE_FILE,
        sys_root=config.sys_root,
    )


def place_all(
    config: AgentConfig, results: Sequence[DriveResult], pools: Sequence[PoolSample]
) -> list[DriveSample]:
    """Each result with what lives on its drive."""
    try:
        mounts = read_mount_table(config.proc_root, config.mount_table_pid)
        decisions = decide(mounts, FilterRules.from_config(config))
    except OSError:
        decisions = []
    topology = Topology(config.sys_root, decisions, pools, config.rootfs)
    return [drive_sample(r, topology.place(r.device.name)) for r in results]


def drives_pass(config: AgentConfig, reader: DriveReader, pools: PoolReader) -> HealthReport:
    """Read every drive and place it; the pools are read too, for ZFS vdevs."""
    passed = reader.read_all()
    found: PoolsResult = pools.read()
    drives = place_all(config, passed.drives, found.pools)
    return HealthReport(drives=drives, problems=passed.problems)


def pools_pass(pools: PoolReader) -> HealthReport:
    """Read every pool, array and btrfs filesystem."""
    found = pools.read()
    return HealthReport(pools=found.pools, problems=found.problems)
