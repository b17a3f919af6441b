"""The metrics collector's root disk fields go through the deadline-bounded statvfs prober."""

import threading
import time
from collections.abc import Callable
from dataclasses import replace

from homelab_agent.collectors.metrics import GIB, MetricsCollector
from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.statfs import StatvfsProber
from tests.agent.conftest import FakeStatvfs, statvfs_result


def test_root_disk_fields_come_from_the_prober(agent_config: AgentConfig) -> None:
    fake = FakeStatvfs({"/": statvfs_result(frsize=GIB, blocks=10, bfree=4, bavail=4)})
    collector = MetricsCollector(agent_config, prober=StatvfsProber(fake, timeout=1.0))
    sample = collector.collect()
    assert (sample.disk_total_gb, sample.disk_used_gb, sample.disk_percent) == (10.0, 6.0, 60.0)
    assert fake.calls == ["/"]


def test_hung_root_filesystem_is_bounded_by_the_statvfs_deadline(
    agent_config: AgentConfig,
    release_gates: Callable[[threading.Event], threading.Event],
) -> None:
    gate = release_gates(threading.Event())
    config = replace(agent_config, statvfs_timeout=0.2)
    fake = FakeStatvfs({"/": gate})
    collector = MetricsCollector(config, prober=StatvfsProber(fake, timeout=config.statvfs_timeout))

    started = time.monotonic()
    sample = collector.collect()
    assert time.monotonic() - started < 3.0
    assert not gate.is_set()  # still hung: the deadline, not the answer, ended the wait
    assert (sample.disk_percent, sample.disk_total_gb, sample.disk_used_gb) == (None, None, None)
    assert sample.memory_total_mb is not None and sample.uptime_seconds is not None

    # Next cycle: the stuck root is not asked again, so there is no new wait at all.
    assert collector.collect().disk_percent is None
    assert fake.calls == ["/"]
