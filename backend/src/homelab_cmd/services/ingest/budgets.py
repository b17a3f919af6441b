"""Per-host budgets of the write path: heartbeat rate, how far back, replay spacing, domain depth.

Checked before a heartbeat is queued, so a refusal stores nothing (docs/security.md, "Per-host
budgets"); the replay spacing is checked in the writer's transaction, before anything is
written, because it reads what the server already has. The rate budgets are token buckets in
this process, keyed by server id and bounded by an LRU: with several hubs behind a load
balancer each hub keeps its own buckets, so a host spreading its heartbeats over N hubs gets at
most N times its budget (and, racing its replays through N hubs at once, its spacing too).

A refusal is also noted for the server's page (`server.budget_warning`): `WarningBoard` keeps at
most one pending note per server and lets one through per server a minute, so a host that is
refused a thousand times a minute costs one write a minute, not a thousand.
"""

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from sqlalchemy import Connection, select

from homelab_cmd.db.tables import SERVER_METRIC
from homelab_cmd.errors import (
    CapacityDomainsTooDeep,
    HeartbeatRateLimited,
    HeartbeatTooOld,
    ReplayTooClose,
)
from homelab_cmd.schemas.heartbeat import CapacityDomain, HeartbeatRequest
from homelab_cmd.services.ingest.limits import Limits
from homelab_cmd.services.lru import Lru

# Servers whose buckets and warning times are kept; a server evicted from the LRU starts again
# with a full bucket, which costs at most one budget's worth of extra heartbeats.
TRACKED_SERVERS = 20_000
WARNING_EVERY_SECONDS = 60.0


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateBudget:
    """A token bucket per key: `per_minute` tokens, refilled evenly, holding at most a minute's."""

    def __init__(
        self, per_minute: int, clock: Callable[[], float] = time.monotonic, size: int = 0
    ) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: Lru[str, _Bucket] = Lru(size or TRACKED_SERVERS)
        self._lock = threading.Lock()

    def take(self, key: str) -> float | None:
        """Take one token: None when granted, else the seconds until the next one."""
        now = self._clock()
        rate = self.per_minute / 60.0
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = _Bucket(float(self.per_minute), now)
                self._buckets.put(key, bucket)
            bucket.tokens = min(float(self.per_minute), bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            return (1.0 - bucket.tokens) / rate

    def give_back(self, key: str) -> None:
        """Return a token taken for a heartbeat that was then not stored (a 503)."""
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is not None:
                bucket.tokens = min(float(self.per_minute), bucket.tokens + 1.0)


def domain_depth(domains: Iterable[CapacityDomain]) -> tuple[int, bool]:
    """The longest parent chain (a domain without parent is 1 deep) and whether a chain loops.

    Each domain is walked once: the depth of every domain on a walked path is remembered.
    """
    parents = {d.key: d.parent for d in domains}
    depth: dict[str, int] = {}
    deepest, loops = 0, False
    for key in parents:
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = key
        while current is not None and current in parents and current not in depth:
            if current in on_path:
                loops = True
                break
            path.append(current)
            on_path.add(current)
            current = parents[current]
        base = depth.get(current, 0) if current is not None else 0
        for node in reversed(path):
            base += 1
            depth[node] = base
        deepest = max(deepest, base)
    return deepest, loops


def check_domains(heartbeat: HeartbeatRequest, most: int) -> None:
    """Refuse capacity domains nested deeper than `most`, or whose parents loop."""
    if not heartbeat.capacity_domains:
        return
    deepest, loops = domain_depth(heartbeat.capacity_domains)
    if loops:
        raise CapacityDomainsTooDeep(
            "capacity_domains: a domain's parent chain leads back to itself"
        )
    if deepest > most:
        raise CapacityDomainsTooDeep(
            f"capacity_domains nest {deepest} deep; the hub accepts at most {most} "
            "(HOMELAB_CMD_MAX_CAPACITY_DOMAIN_DEPTH)"
        )


class HeartbeatBudgets:
    """How far back a heartbeat may go and how many a server may send per minute."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._live = RateBudget(limits.heartbeats_per_minute, clock)
        self._replay = RateBudget(limits.replay_heartbeats_per_minute, clock)

    def _budget(self, at: datetime, now: datetime) -> tuple[RateBudget, bool]:
        """The rate budget a heartbeat stamped `at` and received `now` draws on, and whether
        it is a replay."""
        replay = (now - at).total_seconds() > self.limits.replay_after_seconds
        return (self._replay if replay else self._live), replay

    def give_back(self, heartbeat: HeartbeatRequest, at: datetime, now: datetime) -> None:
        """Return the token `check` took with the same arguments: the heartbeat was not stored."""
        self._budget(at, now)[0].give_back(heartbeat.server_id)

    def check(self, heartbeat: HeartbeatRequest, at: datetime, now: datetime) -> None:
        """Refuse a heartbeat over a budget (`at` is its instant); a granted one takes a token."""
        limits = self.limits
        age = now - at
        if age > timedelta(days=limits.heartbeat_age_days):
            raise HeartbeatTooOld(
                f"timestamp is {age.days} days old; the hub takes heartbeats at most "
                f"{limits.heartbeat_age_days} days back (HOMELAB_CMD_MAX_HEARTBEAT_AGE_DAYS)"
            )
        check_domains(heartbeat, limits.capacity_domain_depth)
        budget, replay = self._budget(at, now)
        wait = budget.take(heartbeat.server_id)
        if wait is not None:
            kind, setting = (
                ("replayed", "MAX_REPLAY_HEARTBEATS_PER_MINUTE")
                if replay
                else ("live", "MAX_HEARTBEATS_PER_MINUTE")
            )
            raise HeartbeatRateLimited(
                f"server {heartbeat.server_id!r} sent more than {budget.per_minute} {kind} "
                f"heartbeats a minute (HOMELAB_CMD_{setting}); retry later",
                max(1, ceil(wait)),
            )

    def check_spacing(
        self, conn: Connection, server_id: str, at: datetime, received_at: datetime
    ) -> None:
        """Refuse a replay stamped within the spacing of another heartbeat its server has.

        Without it a host stamping each heartbeat just past REPLAY_AFTER_SECONDS draws on the
        replay budget with a fresh instant each time, anywhere in the last 30 days; with it a
        server keeps at most one replayed heartbeat per `replay_spacing_seconds` of its history.
        The exact instant stays a harmless duplicate (200, stored once). Live heartbeats are not
        looked at: one indexed range read of the (server_id, sampled_at) key, for replays only.
        """
        spacing = self.limits.replay_spacing_seconds
        if not spacing or (received_at - at).total_seconds() <= self.limits.replay_after_seconds:
            return
        window = timedelta(seconds=spacing)
        near = conn.execute(
            select(SERVER_METRIC.c.sampled_at).where(
                SERVER_METRIC.c.server_id == server_id,
                SERVER_METRIC.c.sampled_at > at - window,
                SERVER_METRIC.c.sampled_at < at + window,
            )
        ).scalars()
        instants = list(near)
        if not instants or at in instants:
            return
        closest = min(instants, key=lambda stored: abs(stored - at))
        raise ReplayTooClose(
            f"a replayed heartbeat of {server_id!r} stamped {at:%Y-%m-%dT%H:%M:%SZ} lies "
            f"{abs((closest - at).total_seconds()):.0f} s from one already stored "
            f"({closest:%H:%M:%SZ}); replays are kept at least {spacing} s apart "
            "(HOMELAB_CMD_REPLAY_SPACING_SECONDS)"
        )


class WarningBoard:
    """Budget notes waiting to be written to their server rows, one per server a minute."""

    def __init__(
        self,
        every_seconds: float = WARNING_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._every = every_seconds
        self._clock = clock
        self._last: Lru[str, float] = Lru(TRACKED_SERVERS)
        self._pending: dict[str, tuple[str, datetime]] = {}
        self._lock = threading.Lock()

    def note(self, server_id: str, warning: str, at: datetime) -> bool:
        """Keep a note for the server's row; False when one was let through within a minute."""
        now = self._clock()
        with self._lock:
            last = self._last.get(server_id)
            if last is not None and now - last < self._every:
                return False
            if len(self._pending) >= TRACKED_SERVERS:
                return False
            self._last.put(server_id, now)
            self._pending[server_id] = (warning, at)
            return True

    def take(self) -> dict[str, tuple[str, datetime]]:
        """The pending notes, emptied."""
        with self._lock:
            pending, self._pending = self._pending, {}
        return pending
