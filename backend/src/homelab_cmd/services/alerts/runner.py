"""The hub's alert threads: evaluation off the request path, and delivery from the outbox.

The writer tells each stored heartbeat to a `CrossingWatch` (crossings.py), which decides in
memory whether it can change an alert (a level's band crossed, a state changed, a mount came or
went, the server came back) and only then marks its server for a pass (a set and an event, no
I/O), so ingest never waits on alerts and a fleet whose disks stay in their bands costs no
passes. A mark says what changed (a `Scope`: the mounts crossed, the drives and pools), and the
pass judges only that, so a crossing costs the pass one mount, not the server's every mount.
The evaluation thread takes the marked servers in one batch, under a storm of crossings
after a gap that grows with the servers the last such batch held (at most
MAX_STORM_GAP_SECONDS), so the pass's fixed cost is shared. What moves with the clock is
checked on its own cadences: every `alert_evaluation_seconds` a check passes the servers gone
offline (or back through another hub) found by two small reads (offline.py), and starts a full
pass at once when the levels changed on any hub; the rest (repeats, time to full, silences
ending, another hub's heartbeats) is a pass over every server every FULL_PASS_EVERY intervals.
Both go in slices, between which the passes crossings woke still run; a server with a pending
alert is passed again when its hold ends.
The delivery thread sends what the passes queued, and polls for retries and for messages
another hub on the same database queued.
"""

import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Server
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.alerts.crossings import WHOLE, CrossingWatch, Scope, merge_scopes
from homelab_cmd.services.alerts.evaluation import AlertConfig, WriteOn, evaluate, prune_history
from homelab_cmd.services.alerts.offline import offline_changed
from homelab_cmd.services.levels import load_policies
from homelab_cmd.services.notify.outbox import OutboxSender

log = logging.getLogger(__name__)
PRUNE_EVERY = timedelta(hours=1)
# The delivery thread looks for due messages (retries, other hubs' rows) this often at most.
DELIVERY_POLL_SECONDS = 1.0
# Passes woken by crossings start at least this far apart, and at least PASS_GAP_FACTOR times
# the last pass's duration apart, at most MAX_PASS_GAP_SECONDS: a crossing on a quiet hub is
# met within milliseconds, and a storm of crossings is batched, its passes holding the thread a
# bounded share of the time.
# A narrow pass costs a couple of milliseconds, much of it the same whatever it holds (its
# reads, the lock, the commit), so under a storm of crossings the gap, not the pass, sets the
# cost: the storm gap below.
MIN_PASS_GAP_SECONDS = 0.05
PASS_GAP_FACTOR = 2.0
MAX_PASS_GAP_SECONDS = 1.0
# Under a storm the fixed cost of a pass is shared by more crossings: a woken pass that took n
# servers is followed by the next woken pass n x STORM_GAP_PER_SERVER later, at most
# MAX_STORM_GAP_SECONDS. A lone crossing keeps the 50 ms gap (met at once on a quiet hub); at
# 100 crossings a second the gap reaches the bound after one pass: ~4 passes a second of ~25
# servers each instead of ~20 of ~5, for at most 0.25 s added to a crossing's wait while the
# storm lasts. A longer bound saves little more (0.5 s: the alert thread's CPU about the same)
# and holds SQLite's write lock longer a pass, which the heartbeat writer waits out (its p99
# under that storm ~45 ms against ~35 ms). A hold ending and the full pass's slices do not
# wait for it.
STORM_GAP_PER_SERVER = 0.05
MAX_STORM_GAP_SECONDS = 0.25
# After a failed pass (the database down or restarting) the next waits twice as long as the
# last, up to this: a marked server is retried, not hammered, and the failure is logged once.
MAX_FAILED_GAP_SECONDS = 5.0
HOLD_SLACK = 0.01
# The full pass goes this many servers at a time, with the passes woken by crossings in between:
# a crossing waits for one slice at most, not for the whole fleet.
FULL_PASS_SLICE = 50
# The full pass runs every this many evaluation intervals (60 s at the default 10 s). It reads
# every mount of every server, so it is most of what alerts cost a hub whose disks stay in their
# bands; what it alone judges moves over minutes to days (repeats, fill dates, silences, scrub
# age), while going offline and changed levels, bound to seconds, have the interval's own check.
FULL_PASS_EVERY = 6


class AlertRunner:
    """Start once per process; `heartbeats_stored` and `forget_server` are the writer's hooks."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ticker: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._config = AlertConfig.from_settings(settings)
        self._interval = settings.alert_evaluation_seconds
        self._offline_after = settings.offline_after_seconds
        self._history_days = settings.alert_history_days
        self._clock = clock
        self._ticker = ticker
        self._next_full = -math.inf  # the first step starts a full pass
        # The interval's check of offline servers and of the levels (see full_pass_step).
        self._next_check = -math.inf
        # The full pass under way: the slices of servers still to pass.
        self._slices: list[list[str]] = []
        self._crossing_seconds = 0.0
        # When (`ticker` time) the next pass woken by crossings may start (after a storm gap).
        self._crossings_after = -math.inf
        self._sender = OutboxSender(
            engine,
            settings.notify_url_list,
            retry_seconds=settings.notify_retry_seconds,
            retry_max_seconds=settings.notify_retry_max_seconds,
        )
        self._watch = CrossingWatch(settings.offline_after_seconds)
        # The marked servers, each with what its pass must judge.
        self._dirty: dict[str, Scope] = {}
        # Per server with a pending alert: when its hold ends (time.monotonic()).
        self._due: dict[str, float] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._wake_sender = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._pruned_at: datetime | None = None
        # Passes failed in a row (0 after a success): the retry gap grows with them.
        self._failures = 0
        # Where the passes woken by crossings run (evaluation.WriteOn); see `write_on`.
        self._write_on: WriteOn | None = None

    def write_on(self, write_on: WriteOn) -> None:
        """Run the passes woken by crossings there from now on: on SQLite, on the heartbeat
        writer's connection (HeartbeatWriter.call), set once the writer exists."""
        self._write_on = write_on

    def heartbeats_stored(self, stored: Iterable[tuple[HeartbeatRequest, datetime]]) -> None:
        """The writer's hook after a commit: mark the servers whose heartbeat crossed something."""
        if self._interval <= 0:
            return
        batch = list(stored)
        try:
            woken = self._watch.changes(batch)
        except Exception:  # never lose a crossing to a bug here: pass them all
            log.exception("crossing check failed; evaluating every server of the batch")
            woken = dict.fromkeys((heartbeat.server_id for heartbeat, _ in batch), WHOLE)
        self.mark_scopes(woken)

    def forget_server(self, server_id: str) -> None:
        """The writer's hook when a server is deleted: a pass still pending for it judges the
        whole server, which may be a new one by then."""
        self._watch.forget_server(server_id)
        with self._lock:
            if server_id in self._dirty:
                self._dirty[server_id] = WHOLE

    def mark(self, server_ids: Iterable[str]) -> None:
        """Mark servers for a pass over all their conditions."""
        self.mark_scopes(dict.fromkeys(server_ids, WHOLE))

    def mark_scopes(self, scopes: dict[str, Scope]) -> None:
        """Mark servers for the next pass, each judged on what its scope names."""
        with self._lock:
            first = not self._dirty
            marked = merge_scopes(self._dirty, scopes)
        # The loop reads the marks' due time when it waits: it needs waking only for the first
        # mark since it took them (under a storm, not for each server marked in the gap).
        if marked and first:
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
        self._sender.close()

    def _take_dirty(self) -> dict[str, Scope]:
        """The marked servers, and those whose hold has ended (judged whole)."""
        now = self._ticker()
        with self._lock:
            due = [sid for sid, at in self._due.items() if at <= now]
            for server_id in due:
                del self._due[server_id]
            dirty, self._dirty = self._dirty, {}
        merge_scopes(dirty, dict.fromkeys(due, WHOLE))
        return dirty

    def next_wake(self) -> float:
        """When (`ticker` time) the next pass is due without a crossing: the full pass (now,
        while one is under way), the offline check, or the end of a pending alert's hold."""
        with self._lock:
            if self._slices:
                return -math.inf
            return min([self._next_full, self._next_check, *self._due.values()])

    def crossings_due(self) -> float:
        """When (`ticker` time) the marked servers' pass may start: after the storm gap that
        followed the last woken pass (never, when none is marked)."""
        with self._lock:
            return self._crossings_after if self._dirty else math.inf

    def storm_gap(self, servers: int) -> float:
        """The gap after a woken pass over this many servers (see STORM_GAP_PER_SERVER)."""
        return min(max(MIN_PASS_GAP_SECONDS, servers * STORM_GAP_PER_SERVER), MAX_STORM_GAP_SECONDS)

    def step(self) -> list[str]:
        """Run what is due now: a pass over the servers marked or at the end of a hold (returns
        them; [] when none), then the next slice of the full pass when one is due or under way.
        """
        started = self._ticker()
        scopes = self._take_dirty()
        dirty = sorted(scopes)
        if dirty:
            self.run_pass(dirty, scopes)
            self._crossings_after = started + self.storm_gap(len(dirty))
        self._crossing_seconds = self._ticker() - started
        self.full_pass_step()
        return dirty

    def full_pass_step(self) -> None:
        """The interval's check when it is due: the levels read, a full pass when that is due
        too or they changed, else the servers whose offline alert is out of date; then the next
        slice under way."""
        now = self._ticker()
        if not self._slices and now >= min(self._next_check, self._next_full):
            self._next_check = now + self._interval
            if self._levels_changed() or now >= self._next_full:
                slices = self._begin_full_pass()
                # One that could not start is tried again at the next check.
                wait = self._interval if slices is None else FULL_PASS_EVERY * self._interval
                self._next_full = now + wait
                self._slices = slices or []
            else:
                self._check_offline()
        if self._slices:
            self.run_pass(self._slices.pop(0))

    def _levels_changed(self) -> bool:
        """The levels in force reach the crossing check; whether they changed (a full pass must
        judge every server by them)."""
        try:
            with Session(self._engine) as session:
                return self._watch.use_rules(load_policies(session, None))
        except Exception:  # noqa: BLE001  (logged by _failed; the thread must survive)
            self._failed("the next check retries")
            return False

    def _check_offline(self) -> None:
        """Pass the servers whose offline alert disagrees with their last sighting, in slices
        (a hub cut off from every agent at once passes them all, crossings in between)."""
        try:
            changed = offline_changed(self._engine, self._clock(), self._offline_after)
        except Exception:  # noqa: BLE001  (logged by _failed; the thread must survive)
            self._failed("the next check retries")
            return
        self._slices = _sliced(changed)

    def _begin_full_pass(self) -> list[list[str]] | None:
        """Every server, in slices (None: it could not start), judged by the levels the check
        before it read; resolved alerts past their history are pruned."""
        now = self._clock()
        try:
            with Session(self._engine) as session:
                ids = list(session.scalars(select(Server.id).order_by(Server.id)))
            if self._pruned_at is None or now - self._pruned_at >= PRUNE_EVERY:
                prune_history(self._engine, now, self._history_days)
                self._sender.prune(now)
                self._pruned_at = now
        except Exception:  # noqa: BLE001  (logged by _failed; the thread must survive)
            self._failed("the next full pass retries")
            return None
        return _sliced(ids)

    def run_pass(self, server_ids: list[str], scopes: dict[str, Scope] | None = None) -> None:
        """One pass over these servers (each judged whole unless `scopes` narrows it); a failure
        is logged and the next pass retries them."""
        now = self._clock()
        scopes = scopes or {}
        try:
            report = evaluate(
                self._engine, self._config, now, server_ids, scopes, write_on=self._write_on
            )
        except Exception:  # noqa: BLE001  (logged by _failed; the thread must survive)
            self._failed("the next pass retries")
            self.mark_scopes({sid: scopes.get(sid, WHOLE) for sid in server_ids})
            return
        if self._failures:
            log.info("alert evaluation works again after %d failed passes", self._failures)
            self._failures = 0
        self._watch.confirm(report.snapshots)
        self._schedule(report.due, now, [s for s in server_ids if scopes.get(s, WHOLE).whole])
        if report.queued:
            self._wake_sender.set()

    def _failed(self, retry: str) -> None:
        """Log the first failure of a streak with its trace; the rest only at debug level."""
        if self._failures == 0:
            log.exception("alert evaluation failed; %s, less often while it keeps failing", retry)
        else:
            log.debug(
                "alert evaluation failed again (%d in a row)", self._failures + 1, exc_info=True
            )
        self._failures += 1

    def pass_gap(self) -> float:
        """Seconds from the start of the last step to the next: longer after slow passes, and
        doubling with each failed pass in a row."""
        gap = min(
            max(MIN_PASS_GAP_SECONDS, PASS_GAP_FACTOR * self._crossing_seconds),
            MAX_PASS_GAP_SECONDS,
        )
        if self._failures:
            gap = max(gap, min(MIN_PASS_GAP_SECONDS * 2.0**self._failures, MAX_FAILED_GAP_SECONDS))
        return gap

    def _schedule(self, due: dict[str, datetime], now: datetime, whole: list[str]) -> None:
        """Wake a pass for each server with a pending alert when its hold ends. A pass that
        judged a server whole knows all its holds; a narrower one only some, so the earlier
        wake stands."""
        base = self._ticker()
        with self._lock:
            for server_id in whole:
                self._due.pop(server_id, None)
            for server_id, at in due.items():
                # A hair late rather than early: the pass must find the hold over.
                at_tick = base + max((at - now).total_seconds(), 0.0) + HOLD_SLACK
                self._due[server_id] = min(at_tick, self._due.get(server_id, math.inf))

    def _evaluate_loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before reading the due times: a later mark wakes the wait
            started = self._ticker()
            crossings, clock = self.crossings_due(), self.next_wake()
            if min(crossings, clock) > started:
                self._wake.wait(min(crossings, clock) - started)
                continue
            try:
                if crossings <= started or self._hold_due(started):
                    self.step()
                else:  # within a storm gap: the full pass's slices go on meanwhile
                    self.full_pass_step()
            except Exception:  # noqa: BLE001  (past a pass's own guard: evaluation must go on)
                self._failed("the next pass retries")
            # Under a heavy stream of crossings, passes batch whatever arrived meanwhile (the
            # full pass's slices are not the stream's, so they leave the shortest gap).
            self._stop.wait(max(0.0, started + self.pass_gap() - self._ticker()))

    def _hold_due(self, now: float) -> bool:
        with self._lock:
            return any(at <= now for at in self._due.values())

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


def _sliced(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + FULL_PASS_SLICE] for i in range(0, len(ids), FULL_PASS_SLICE)]
