"""The `metrics` collector: CPU, memory, load, network, uptime and the root disk."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psutil

from homelab_agent.collectors import register
from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.probing import shared_prober
from homelab_agent.filesystems.statfs import StatvfsProber
from homelab_agent.payload import MetricsSample

MIB = 1024 * 1024
GIB = 1024**3


def _network_totals() -> tuple[int | None, int | None]:
    counters = psutil.net_io_counters(pernic=True)
    rx = tx = 0
    for nic, c in counters.items():
        if nic == "lo":
            continue
        rx += c.bytes_recv
        tx += c.bytes_sent
    return (rx, tx) if counters else (None, None)


@register("metrics", default_enabled=True)
class MetricsCollector:
    """Host metrics from psutil; CPU percent is measured since the previous cycle."""

    def __init__(self, config: AgentConfig, prober: StatvfsProber | None = None) -> None:
        if config.proc_root != Path("/proc"):
            psutil.PROCFS_PATH = str(config.proc_root)
        self.rootfs = config.rootfs
        # The root disk is asked through the same deadline-bounded prober as every other mount:
        # a hung NFS root (netbooted Pi) leaves disk_* empty instead of stalling the cycle.
        self.prober = prober or shared_prober(config)
        psutil.cpu_percent(interval=None)  # the first call only sets the reference point
        self._boot_time = psutil.boot_time()

    def collect(self) -> MetricsSample:
        """One sample of every host metric."""
        memory = psutil.virtual_memory()
        used = memory.total - memory.available
        load = os.getloadavg()
        rx, tx = _network_totals()
        (root,) = self.prober.probe([str(self.rootfs)])
        disk = root.usage
        return MetricsSample(
            cpu_percent=min(max(float(psutil.cpu_percent(interval=None)), 0.0), 100.0),
            memory_percent=round(used / memory.total * 100, 2) if memory.total else None,
            memory_total_mb=memory.total // MIB,
            memory_used_mb=used // MIB,
            disk_percent=disk.percent if disk else None,
            disk_total_gb=round(disk.total_bytes / GIB, 2) if disk else None,
            disk_used_gb=round(disk.used_bytes / GIB, 2) if disk else None,
            network_rx_bytes=rx,
            network_tx_bytes=tx,
            load_1m=round(load[0], 2),
            load_5m=round(load[1], 2),
            load_15m=round(load[2], 2),
            uptime_seconds=max(int(time.time() - self._boot_time), 0),
        )
