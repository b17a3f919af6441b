"""The agent loop: collect on a fixed schedule, spool, deliver when the hub is there."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from homelab_agent import __version__
from homelab_agent.collectors import Collector, build_collectors, run_collectors
from homelab_agent.config import AgentConfig
from homelab_agent.delivery.spool import FlushReport, Spool
from homelab_agent.delivery.tls import client_context
from homelab_agent.delivery.transport import HubClient, Outcome, SendResult
from homelab_agent.drives.collect import HealthReport
from homelab_agent.payload import (
    FilesystemReport,
    FilesystemSample,
    Heartbeat,
    MetricsSample,
    OSInfoSample,
    utc_now,
)
from homelab_agent.usage.runner import UsageScanner, parse_requests

log = logging.getLogger(__name__)


class Sender(Protocol):
    """What delivers a heartbeat body to the hub (HubClient; tests pass a stand-in)."""

    def send(self, body: bytes, deadline: float | None = None) -> SendResult: ...

    def close(self) -> None: ...


def build_heartbeat(
    config: AgentConfig,
    collectors: Mapping[str, Collector],
    now: datetime | None = None,
    usage: UsageScanner | None = None,
) -> Heartbeat:
    """Run the collectors once and assemble the heartbeat (with finished usage scans)."""
    timestamp = now or utc_now()
    result = run_collectors(collectors)
    heartbeat = Heartbeat(
        server_id=config.server_id,
        hostname=config.hostname[:255],
        timestamp=timestamp,
        agent_version=__version__,
        collector_errors=dict(result.errors),
    )
    metrics = result.samples.get("metrics")
    if isinstance(metrics, MetricsSample):
        heartbeat.metrics = metrics
    os_info = result.samples.get("os_info")
    if isinstance(os_info, OSInfoSample):
        heartbeat.os_info = os_info
    report = result.samples.get("filesystems")
    if isinstance(report, FilesystemReport):
        heartbeat.filesystems = report.filesystems
        heartbeat.capacity_domains = report.capacity_domains
    elif isinstance(report, list) and all(isinstance(f, FilesystemSample) for f in report):
        heartbeat.filesystems = report  # a collector that knows no domains
    _add_health(heartbeat, result.samples)
    if usage is not None:  # never waits: takes what the scan thread has finished
        heartbeat.usage_scans, heartbeat.usage_scan_running = usage.take()
    return heartbeat


def _add_health(heartbeat: Heartbeat, samples: Mapping[str, object]) -> None:
    """The newest drive and pool passes, and their problems, when a pass ended."""
    for name in ("drives", "pools"):
        health = samples.get(name)
        if isinstance(health, HealthReport):
            if health.drives is not None:
                heartbeat.drives = health.drives
            if health.pools is not None:
                heartbeat.pools = health.pools
            if health.problems:
                heartbeat.collector_errors[name] = "; ".join(health.problems)[:500]


class Agent:
    """Collects every `interval` seconds by deadline and keeps the spool drained."""

    def __init__(
        self,
        config: AgentConfig,
        *,
        collectors: Mapping[str, Collector] | None = None,
        client: Sender | None = None,
        spool: Spool | None = None,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.config = config
        self.collectors = collectors if collectors is not None else build_collectors(config)
        self.client = client or HubClient(
            config.hub_url,
            config.api_key,
            connect_timeout=config.connect_timeout,
            read_timeout=config.read_timeout,
            retries=config.retries,
            verify=client_context(config.tls_pinned_cert, config.ca_file),
        )
        self.spool = spool or Spool(
            config.spool_dir, config.spool_max_files, config.spool_max_bytes
        )
        self._clock = clock
        self._rand = rand
        self._failures = 0
        self._next_delivery = 0.0
        self.usage = UsageScanner(config)

    def collect_and_spool(self, now: datetime | None = None) -> Heartbeat:
        """Collect one heartbeat and put it in the spool."""
        heartbeat = build_heartbeat(self.config, self.collectors, now, self.usage)
        self.spool.put(heartbeat.to_json().encode("utf-8"))
        return heartbeat

    def deliver(self, deadline: float | None = None) -> FlushReport:
        """Replay the spool now, oldest first."""
        report = self.spool.flush(lambda body: self._send(body, deadline), deadline)
        if report.remaining and report.last_outcome in (Outcome.RETRY_LATER, Outcome.UNAUTHORIZED):
            self._failures += 1
            # Back off between delivery attempts while the hub is away; collection goes on.
            cap = min(self.config.interval * 2**self._failures, 15 * 60.0)
            self._next_delivery = self._clock() + max(self.config.interval, cap * self._rand())
        else:
            self._failures = 0
            self._next_delivery = 0.0
        if report.retry_after is not None:  # the hub said when it wants us back
            self._next_delivery = max(self._next_delivery, self._clock() + report.retry_after)
        return report

    def _send(self, body: bytes, deadline: float | None) -> SendResult:
        """Send one heartbeat; queue the usage scans the hub's answer asks for."""
        result = self.client.send(body, deadline)
        if result.answer is not None:
            self.usage.submit(parse_requests(result.answer))
        return result

    def run_once(self) -> bool:
        """Collect, spool and deliver once; True when nothing is left in the spool."""
        self.collect_and_spool()
        report = self.deliver()
        return report.remaining == 0

    def _delivery_loop(self, stop: threading.Event, wake: threading.Event) -> None:
        """Deliver after each collection, never holding up the next one (runs in its own thread).

        Each pass is bounded by one interval; a hub that is down or hangs only delays delivery,
        and whatever is not delivered stays in the spool for a later pass.
        """
        while True:
            wake.wait()
            wake.clear()
            if stop.is_set():
                return
            if self._clock() < self._next_delivery:
                continue
            try:
                self.deliver(deadline=time.monotonic() + self.config.interval)
            except Exception:  # the delivery thread must survive anything a pass throws
                log.exception("delivery failed")

    def run_forever(self, stop: threading.Event) -> None:
        """Loop until `stop` is set; scheduled by deadline (`next_at += interval`).

        Collection runs here; delivery runs in a separate thread woken after each collection, so
        no network wait (a hub that accepts connections and never answers, a DNS lookup that
        hangs) can make a cycle overrun its slot.
        """
        interval = self.config.interval
        wake = threading.Event()
        worker = threading.Thread(
            target=self._delivery_loop, args=(stop, wake), name="delivery", daemon=True
        )
        worker.start()
        self.usage.start()
        next_at = self._clock()
        try:
            while not stop.is_set():
                try:
                    self.collect_and_spool()
                except Exception:  # the loop must survive anything a cycle throws
                    log.exception("cycle failed")
                wake.set()
                next_at += interval
                now = self._clock()
                if next_at <= now:
                    skipped = int((now - next_at) // interval) + 1
                    log.warning("cycle overran its interval: skipping %d slot(s)", skipped)
                    next_at += skipped * interval
                stop.wait(next_at - now)
        finally:
            stop.set()
            wake.set()
            self.usage.stop()
            # A pass ends by its deadline (one interval); the heartbeats it could not deliver
            # are in the spool, so giving up on a hung pass at exit loses nothing.
            worker.join(timeout=interval + 1.0)
            if worker.is_alive():
                log.warning("delivery still waiting on the hub at exit; spooled heartbeats kept")
            else:
                self.client.close()
