"""Runs maintenance inside the hub every `maintenance_interval_seconds` (0 switches it off), and
queues the weekly capacity report when it is due (services/reports/delivery.py)."""

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine

from homelab_cmd.config import Settings
from homelab_cmd.services.maintenance.passes import run_maintenance
from homelab_cmd.services.reports.delivery import ReportConfig, schedule_warnings, send_due

log = logging.getLogger(__name__)


class MaintenanceScheduler:
    """A daemon thread: one maintenance pass at start, then one every interval; after each, the
    capacity report if it is due (so a hub down at the slot sends it on start, that day)."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._reports = ReportConfig.from_settings(settings)
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread, unless the interval is 0."""
        for warning in schedule_warnings(self._settings):
            log.warning("%s", warning)
        if self._settings.maintenance_interval_seconds <= 0:
            return
        self._thread = threading.Thread(target=self._run, name="maintenance", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop after the pass in progress, if any."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)
            self._thread = None

    def run_once(self) -> None:
        """One pass, then the report if due; a failure is logged and retried on the next tick."""
        try:
            report = run_maintenance(self._engine, self._settings, self._clock())
        except Exception:
            log.exception("maintenance pass failed; retrying next interval")
        else:
            if report.rollups.hours or any(report.pruned.values()):
                log.info("maintenance: %s", "; ".join(report.lines()))
        try:
            send_due(self._engine, self._reports, self._clock())
        except Exception:
            log.exception("queueing the capacity report failed; retrying next interval")

    def _run(self) -> None:
        interval = self._settings.maintenance_interval_seconds
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(interval)
