"""The `drives` and `pools` collectors: slow passes on their own schedule (collectors.periodic).

A problem (smartctl missing, permission denied) is reported in `collector_errors` once, the
first time it is met, and logged at WARNING once; never every cycle.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from homelab_agent.collectors import register
from homelab_agent.collectors.periodic import Periodic
from homelab_agent.config import AgentConfig
from homelab_agent.drives.collect import (
    HealthReport,
    drive_reader,
    drives_pass,
    pool_reader,
    pools_pass,
)

log = logging.getLogger(__name__)


class HealthCollector:
    """Hands the newest pass of a Periodic to the heartbeat, problems new since the last."""

    def __init__(self, name: str, work: Callable[[], HealthReport], interval: float) -> None:
        self.name = name
        self.periodic: Periodic[HealthReport] = Periodic(name, work, interval)
        self._said: set[str] = set()

    def collect(self) -> HealthReport | None:
        """The newest pass, or None when none ended since the last heartbeat."""
        report = self.periodic.take()
        if report is None:
            return None
        new = [p for p in report.problems if p not in self._said]
        for problem in new:
            log.warning("%s: %s", self.name, problem)
        self._said.update(new)
        return HealthReport(drives=report.drives, pools=report.pools, problems=new)


@register("drives", default_enabled=True)
def drives_collector(config: AgentConfig) -> HealthCollector:
    """S.M.A.R.T. of every drive every `drives_interval` seconds."""
    reader, pools = drive_reader(config), pool_reader(config)
    return HealthCollector(
        "drives", lambda: drives_pass(config, reader, pools), config.drives_interval
    )


@register("pools", default_enabled=True)
def pools_collector(config: AgentConfig) -> HealthCollector:
    """ZFS pools, md arrays and btrfs device errors every `pools_interval` seconds."""
    pools = pool_reader(config)
    return HealthCollector("pools", lambda: pools_pass(pools), config.pools_interval)
