"""Typed heartbeat parts and their JSON form, which matches the hub's HeartbeatRequest."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from homelab_agent.drives.model import DriveSample
    from homelab_agent.pools.model import PoolSample
    from homelab_agent.usage.model import UsageScan, UsageScanRunning

FilesystemState = Literal["ok", "unreachable", "missing"]


@dataclass(frozen=True, slots=True)
class FilesystemSample:
    """One real filesystem as reported to the hub."""

    mount_point: str
    device: str
    fs_type: str
    total_bytes: int
    used_bytes: int
    available_bytes: int
    percent: float
    read_only: bool | None = None
    inodes_total: int | None = None
    inodes_used: int | None = None
    state: FilesystemState = "ok"
    # Key of the capacity domain the filesystem draws on (see CapacityDomainSample).
    capacity_domain: str | None = None
    # For a missing mount: bytes written into its empty directory on the parent filesystem.
    shadowed_bytes: int | None = None


@dataclass(frozen=True, slots=True)
class CapacityDomainSample:
    """Storage shared by one or more mounts (a ZFS pool, a btrfs filesystem, a device, …)."""

    key: str
    kind: str
    members: list[str]
    total_bytes: int | None = None
    used_bytes: int | None = None
    available_bytes: int | None = None
    union_of: list[str] | None = None
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class FilesystemReport:
    """What the filesystems collector found: the filesystems and the domains they draw on."""

    filesystems: list[FilesystemSample]
    capacity_domains: list[CapacityDomainSample]


@dataclass(frozen=True, slots=True)
class MetricsSample:
    """Host metrics; disk_* describe the root filesystem, kept for older clients."""

    cpu_percent: float | None = None
    memory_percent: float | None = None
    memory_total_mb: int | None = None
    memory_used_mb: int | None = None
    disk_percent: float | None = None
    disk_total_gb: float | None = None
    disk_used_gb: float | None = None
    network_rx_bytes: int | None = None
    network_tx_bytes: int | None = None
    load_1m: float | None = None
    load_5m: float | None = None
    load_15m: float | None = None
    uptime_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class OSInfoSample:
    """Distribution, version, kernel and architecture."""

    distribution: str | None = None
    version: str | None = None
    kernel: str | None = None
    architecture: str | None = None


@dataclass(slots=True)
class Heartbeat:
    """Everything one cycle collected."""

    server_id: str
    hostname: str
    timestamp: datetime
    agent_version: str
    metrics: MetricsSample | None = None
    filesystems: list[FilesystemSample] | None = None
    capacity_domains: list[CapacityDomainSample] | None = None
    os_info: OSInfoSample | None = None
    collector_errors: dict[str, str] = field(default_factory=dict)
    # Present only in the heartbeat after a drive or pool pass (ADR 0004).
    drives: list[DriveSample] | None = None
    pools: list[PoolSample] | None = None
    # Usage scans finished since the last heartbeat, and the one running (ADR 0005).
    usage_scans: list[UsageScan] | None = None
    usage_scan_running: UsageScanRunning | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON body: readable keys, UTC ISO-8601 timestamp."""
        stamp = self.timestamp.astimezone(UTC).isoformat().replace("+00:00", "Z")
        body: dict[str, Any] = {
            "server_id": self.server_id,
            "hostname": self.hostname,
            "timestamp": stamp,
            "agent_version": self.agent_version,
            "os_info": asdict(self.os_info) if self.os_info is not None else None,
            "metrics": asdict(self.metrics) if self.metrics is not None else None,
            "filesystems": (
                [asdict(fs) for fs in self.filesystems] if self.filesystems is not None else None
            ),
            "capacity_domains": (
                [asdict(d) for d in self.capacity_domains]
                if self.capacity_domains is not None
                else None
            ),
            "collector_errors": dict(self.collector_errors) or None,
        }
        if self.drives is not None:
            body["drives"] = [asdict(d) for d in self.drives]
        if self.pools is not None:
            body["pools"] = [asdict(p) for p in self.pools]
        if self.usage_scans is not None:
            body["usage_scans"] = [s.to_dict() for s in self.usage_scans]
        if self.usage_scan_running is not None:
            body["usage_scan_running"] = asdict(self.usage_scan_running)
        return body

    def to_json(self, indent: int | None = None) -> str:
        """The JSON body as text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def utc_now() -> datetime:
    """The collection time, in UTC."""
    return datetime.now(UTC)
