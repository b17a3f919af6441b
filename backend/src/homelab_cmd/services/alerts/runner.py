"""The hub's alert threads: evaluation off the request path, and delivery from the outbox.

Heartbeats only mark their servers for the next pass (a set and an event, no I/O), so ingest
never waits on alerts. The evaluation thread takes the marked servers in one batch, and passes
over every server at least every `alert_evaluation_seconds` (offline servers have no heartbeat
to trigger them). The delivery thread sends what the passes queued, and polls for retries and
for messages another hub on the same database queued.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from homelab_cmd.config import Settings
from homelab_cmd.services.alerts.evaluation import AlertConfig, evaluate, prune_history
from homelab_cmd.services.notify.outbox import OutboxSender

log = logging.getLogger(__name__)
PRUNE_EVERY = timedelta(hours=1)
# The delivery thread looks for due messages (retries, other hubs' rows) this often at most.
DELIVERY_POLL_SECONDS = 1.0
# Passes triggered by heartbeats start at most this often; each takes every server marked since.
MIN_PASS_GAP_SECONDS = 1.0


class AlertRunner:
    """Start once per process; `heartbeats_stored` is the writer's hook."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._engine = engine
        self._config = AlertConfig.from_settings(settings)
        self._interval = settings.alert_evaluation_seconds
        self._history_days = settings.alert_history_days
        self._clock = clock
        self._sender = OutboxSender(
            engine,
            settings.notify_url_list,
            retry_seconds=settings.notify_retry_seconds,
            retry_max_seconds=settings.notify_retry_max_seconds,
        )
        self._dirty: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._wake_sender = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._pruned_at: datetime | None = None

    def heartbeats_stored(self, server_ids: Iterable[str]) -> None:
        """Mark servers for the next pass; called by the writer after its commit."""
        if self._interval <= 0:
            return
        with self._lock:
            self._dirty.update(server_ids)
        self._wake.set()

    def start(self) -> None:
        """Start both threads, unless alert evaluation is switched off (interval 0)."""
        if self._interval <= 0:
            return
        for name, target in (
            ("alert-evaluation", self._evaluate_loop),
            ("alert-delivery", self._deliver_loop),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._wake_sender.set()
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads = []

    def _take_dirty(self) -> list[str]:
        with self._lock:
            dirty, self._dirty = sorted(self._dirty), set()
        return dirty

    def run_pass(self, server_ids: list[str] | None) -> None:
        """One pass (all servers when None); a failure is logged and the next pass retries."""
        now = self._clock()
        try:
            report = evaluate(self._engine, self._config, now, server_ids)
            if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
                prune_history(self._engine, now, self._history_days)
                self._sender.prune(now)
                self._pruned_at = now
        except Exception:
            log.exception("alert evaluation failed; the next pass retries")
            if server_ids:
                self.heartbeats_stored(server_ids)
            return
        if report.queued:
            self._wake_sender.set()

    def _evaluate_loop(self) -> None:
        next_full = 0.0
        while not self._stop.is_set():
            self._wake.clear()  # before taking the marks: a later mark wakes the wait below
            started = time.monotonic()
            if started >= next_full:
                self._take_dirty()
                self.run_pass(None)
                next_full = time.monotonic() + self._interval
            else:
                dirty = self._take_dirty()
                if dirty:
                    self.run_pass(dirty)
            # Under a heavy stream of heartbeats, passes batch whatever arrived meanwhile.
            self._stop.wait(max(0.0, started + MIN_PASS_GAP_SECONDS - time.monotonic()))
            self._wake.wait(max(0.0, next_full - time.monotonic()))

    def _deliver_loop(self) -> None:
        while not self._stop.is_set():
            self._wake_sender.clear()  # before looking: a pass queueing meanwhile wakes the wait
            now = datetime.now(UTC)
            try:
                if self._sender.any_due(now):
                    self._sender.deliver_due(now)
            except Exception:
                log.exception("notification delivery failed; retrying")
            self._wake_sender.wait(DELIVERY_POLL_SECONDS)
