"""Whether a stored heartbeat can change an alert, decided in memory on the write path.

An evaluation pass re-reads a server's mounts, alerts, drives and pools. Most heartbeats change
none of what it decides: a disk at 41 % is at 41.001 % a second later. So the writer's hook
tells each stored heartbeat to a `CrossingWatch`, which keeps per server and mount the *band*
its figures were in last time (which fire and clear levels of each condition they meet, so the
band decides the severity whatever the alert's current one is: hysteresis included) and wakes
a pass only for a server whose heartbeat can change something:

- a mount's used-space or inode band, its state (ok, unreachable, missing) or read-only flag;
- a mount appearing, or missing from one or two heartbeats (`vanished` fires at the second);
- the server's first heartbeat this process saw, or its first after the offline threshold;
- drive readings (hourly), a pool report unlike the last one;
- the levels in force changed (every server's next heartbeat then wakes a pass).

Each wake says what the pass must look at (a `Scope`): the mounts whose band or state changed,
and the drives and pools when they did; a pass judges those alone, since nothing else of the
server changed since the last pass. A server first seen, back, a mount gone, or an agent that
stopped or started sending filesystems wakes a pass over the whole server. After each pass the
runner tells the watch the time of the server's stored snapshot (`confirm`): bands remembered
from an older heartbeat (a replay first heard after a start, another hub's newer heartbeat)
are forgotten, so the next heartbeat is judged against the database again.

What moves with the clock rather than with a heartbeat is the runner's (runner.py): going
offline by a check every `HOMELAB_CMD_ALERT_EVALUATION_SECONDS` (offline.py), repeats, silences
ending, time to full and its trends, scrub age by the full pass every sixth interval, and a
pending alert's hold ends on a pass woken at its due time. docs/alerts.md "When the hub
evaluates" has the bounds.

Memory is bounded: at most `MOUNT_ENTRIES` mounts over all servers (a server seen longest ago is
forgotten first, and its next heartbeat wakes a pass, as an unknown server's does), each its
mount point's hash, its band and the run of figures around them that keeps it; where the levels
start for a size of disk is kept for the last `STARTS_CACHED` sizes.
"""

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from pydantic import TypeAdapter

from homelab_cmd.domain.alerts import MountMode, MountPolicy, Severity
from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.schemas.drive import PoolReport
from homelab_cmd.schemas.heartbeat import FilesystemMetric, HeartbeatRequest
from homelab_cmd.services.levels import PolicyBook

# Mounts remembered over all servers (~330 bytes each, ~17 MB): as many as the writer's id
# cache holds.
MOUNT_ENTRIES = 50_000
# Sizes of disk (and inode counts) whose levels' starts are kept, per set of levels.
STARTS_CACHED = 4096
# A vanished mount fires after this many heartbeats without it (observe.observe_vanished).
VANISH_HEARTBEATS = 2
# The conditions of a level: each severity's fire level, and its clear level (`held`, when the
# alert is open at that severity or above). Bit i of a band is CONDITIONS[i] being met.
CONDITIONS = (
    (Severity.CRITICAL, False),
    (Severity.CRITICAL, True),
    (Severity.WARNING, False),
    (Severity.WARNING, True),
)
_STATES = {FilesystemState.OK: 0, FilesystemState.UNREACHABLE: 1, FilesystemState.MISSING: 2}
_READ_ONLY = {None: 0, False: 1, True: 2}
_IGNORED = -1
_NEVER = 2**64  # past any byte or inode count
POOLS = TypeAdapter(list[PoolReport])
ONE_SECOND = timedelta(seconds=1)


def disk_band(policy: MountPolicy, used_bytes: int, available_bytes: int) -> int:
    """The used-space conditions these figures meet, as bits (see CONDITIONS).

    The same tests as `domain.alerts.disk_severity`, each level taken held and not held, so
    the band and the alert's current severity give `disk_severity`'s answer, whatever that is
    (tests/services/alerts/test_crossings.py checks it).
    """
    if policy.mode is MountMode.IGNORE or used_bytes + available_bytes <= 0:
        return 0
    bits = 0
    for bit in range(len(CONDITIONS)):
        if _disk_condition(policy, bit, used_bytes, available_bytes):
            bits |= 1 << bit
    return bits


def _disk_condition(policy: MountPolicy, bit: int, used_bytes: int, available_bytes: int) -> bool:
    """Whether these figures meet condition `bit` (a mode that judges them, some room)."""
    severity, held = CONDITIONS[bit]
    room = used_bytes + available_bytes
    if available_bytes > policy.floor_bytes(severity, room, held):
        return False
    level = policy.percent_level(severity) - (policy.clear_margin_percent if held else 0.0)
    return policy.mode is MountMode.EXPECTED_FULL or used_bytes / room * 100.0 >= level


def inode_band(policy: MountPolicy, inodes_used: int | None, inodes_total: int | None) -> int:
    """The inode conditions these figures meet, as bits: `domain.alerts.inode_severity`'s tests."""
    if policy.mode is not MountMode.DEFAULT or not inodes_total or inodes_used is None:
        return 0
    bits = 0
    for bit in range(len(CONDITIONS)):
        if _inode_condition(policy, bit, inodes_used, inodes_total):
            bits |= 1 << bit
    return bits


def _inode_condition(policy: MountPolicy, bit: int, inodes_used: int, inodes_total: int) -> bool:
    """Whether these figures meet condition `bit` (inodes judged, some in all)."""
    severity, held = CONDITIONS[bit]
    level = (
        policy.inodes_crit_percent if severity is Severity.CRITICAL else policy.inodes_warn_percent
    )
    return inodes_used / inodes_total * 100.0 >= level - (
        policy.clear_margin_percent if held else 0.0
    )


def mount_band(policy: MountPolicy, fs: FilesystemMetric) -> int:
    """Everything about one mount of a heartbeat that a pass judges now, as one small int."""
    if policy.mode is MountMode.IGNORE:
        return _IGNORED
    state = _STATES[fs.state]
    if state:  # unreachable or missing: its figures are not judged
        return state
    disk = disk_band(policy, fs.used_bytes, fs.available_bytes)
    inodes = inode_band(policy, fs.inodes_used, fs.inodes_total)
    return _READ_ONLY[fs.read_only] << 2 | disk << 4 | inodes << 8


def _first(meets: Callable[[int], bool], top: int, guess: float) -> int:
    """The least n in [0, top] with meets(n), for `meets` false then true as n grows (top + 1
    when never): from a guess, checked exactly, else by bisection."""
    n = min(max(math.ceil(guess) if math.isfinite(guess) else top + 1, 0), top + 1)
    if (n > top or meets(n)) and (n == 0 or not meets(n - 1)):
        return n
    low, high = 0, top + 1  # meets(high) taken as true, the answer lies in [low, high]
    while low < high:
        mid = (low + high) // 2
        if meets(mid):
            high = mid
        else:
            low = mid + 1
    return low


def _span(starts: tuple[int, ...], value: int) -> tuple[int, int]:
    """The run [from, to) of values around `value` that meet the same conditions."""
    below = [t for t in starts if t <= value]
    above = [t for t in starts if t > value]
    return max(below, default=-1), min(above, default=_NEVER)


# What keeps a mount in its band, as one tuple (unpacked in a loop rather than read attribute by
# attribute: this is checked for every mount of every heartbeat): its mount point's hash, the
# used bytes from and to, the room (used + available), the state, the read-only flag, the inode
# total, and the used inodes from and to (from None: the heartbeat sent no inode counts).
MountLimits = tuple[int, int, int, int, FilesystemState, bool | None, int | None, int | None, int]


def _kept(filesystems: Iterable[FilesystemMetric], limits: Iterable[MountLimits]) -> bool:
    """Whether each filesystem is certainly in the band of its limits (False: work it out
    again), pair by pair."""
    for fs, (key, used_from, used_to, room, state, read_only, total, inodes_from, inodes_to) in zip(
        filesystems, limits, strict=True
    ):
        used = fs.used_bytes
        if (
            not used_from <= used < used_to
            or used + fs.available_bytes != room
            or hash(fs.mount_point) != key
            or fs.state is not state
            or fs.read_only is not read_only
            or fs.inodes_total != total
        ):
            return False
        inodes = fs.inodes_used
        if inodes is None:
            if inodes_from is not None:
                return False
        elif inodes_from is None or not inodes_from <= inodes < inodes_to:
            return False
    return True


class _Mount:
    """A mount's band, and the run of figures around them that keep it (so most heartbeats are
    judged by a few comparisons: the levels are turned into used bytes and used inodes once)."""

    __slots__ = ("band", "limits")

    def __init__(self, policy: MountPolicy, fs: FilesystemMetric) -> None:
        self.band = mount_band(policy, fs)
        room = fs.used_bytes + fs.available_bytes
        used_from, used_to = -1, _NEVER
        inodes_from: int | None = None if fs.inodes_used is None else -1
        inodes_to = _NEVER
        # Figures not judged (ignored, not ok) keep the band whatever they are.
        if policy.mode is not MountMode.IGNORE and fs.state is FilesystemState.OK:
            if room > 0:
                used_from, used_to = _span(_disk_starts(policy, room), fs.used_bytes)
            total = fs.inodes_total
            if total and fs.inodes_used is not None and policy.mode is MountMode.DEFAULT:
                inodes_from, inodes_to = _span(_inode_starts(policy, total), fs.inodes_used)
        self.limits: MountLimits = (
            hash(fs.mount_point),
            used_from,
            used_to,
            room,
            fs.state,
            fs.read_only,
            fs.inodes_total,
            inodes_from,
            inodes_to,
        )

    def keeps(self, fs: FilesystemMetric) -> bool:
        """Whether `fs` is certainly in this band (False: work it out again)."""
        return _kept((fs,), (self.limits,))


# Where each condition starts for one size of disk (or inode count) and set of levels: worked
# out once, since a mount that crosses back and forth (a storm) keeps its size and levels.
# Bounded (~0.5 KB an entry): a fleet past it works them out again, as without the cache.
@lru_cache(maxsize=STARTS_CACHED)
def _disk_starts(policy: MountPolicy, room: int) -> tuple[int, ...]:
    return tuple(
        _first(_disk_meets(policy, room, bit), room, guess)
        for bit, guess in enumerate(_disk_guesses(policy, room))
    )


@lru_cache(maxsize=STARTS_CACHED)
def _inode_starts(policy: MountPolicy, total: int) -> tuple[int, ...]:
    return tuple(
        _first(_inode_meets(policy, total, bit), total, guess)
        for bit, guess in enumerate(_inode_guesses(policy, total))
    )


# One condition's test alone, the one `disk_band` and `inode_band` make (not the whole band for
# one of its bits): a mount's runs are found by a dozen of them at each crossing.
def _disk_meets(policy: MountPolicy, room: int, bit: int) -> Callable[[int], bool]:
    return lambda used: _disk_condition(policy, bit, used, room - used)


def _inode_meets(policy: MountPolicy, total: int, bit: int) -> Callable[[int], bool]:
    return lambda used: _inode_condition(policy, bit, used, total)


def _disk_guesses(policy: MountPolicy, room: int) -> list[float]:
    """Roughly where each condition starts, in used bytes (`_first` makes it exact)."""
    guesses = []
    for severity, held in CONDITIONS:
        floor = policy.floor_bytes(severity, room, held)
        guess = room - floor
        if policy.mode is not MountMode.EXPECTED_FULL:
            level = policy.percent_level(severity) - (policy.clear_margin_percent if held else 0)
            guess = max(guess, room * level / 100.0)
        guesses.append(guess)
    return guesses


def _inode_guesses(policy: MountPolicy, total: int) -> list[float]:
    guesses = []
    for severity, held in CONDITIONS:
        level = (
            policy.inodes_crit_percent
            if severity is Severity.CRITICAL
            else policy.inodes_warn_percent
        )
        guesses.append(total * (level - (policy.clear_margin_percent if held else 0)) / 100.0)
    return guesses


@dataclass(frozen=True, slots=True)
class Scope:
    """What a pass woken for one server judges: everything (`mounts` None), or the figures and
    states of these mount points, and the drives and pools when `storage`."""

    mounts: frozenset[str] | None = None
    storage: bool = False

    @property
    def whole(self) -> bool:
        return self.mounts is None

    def merge(self, other: "Scope") -> "Scope":
        """What two wakes of one server before its pass judge together."""
        if self.mounts is None or other.mounts is None:
            return WHOLE
        return Scope(self.mounts | other.mounts, self.storage or other.storage)


WHOLE = Scope()


def merge_scopes(into: dict[str, Scope], scopes: Mapping[str, Scope]) -> bool:
    """Add `scopes` to `into`, server by server; whether `into` gained a server."""
    before = len(into)
    for server_id, scope in scopes.items():
        held = into.get(server_id)
        into[server_id] = scope if held is None else held.merge(scope)
    return len(into) > before


def rules_key(book: PolicyBook) -> object:
    """What a book of levels says, comparable between two loads (rows come in any order)."""
    mounts = {sid: sorted(rules, key=lambda r: r[0]) for sid, rules in book.mount_rules.items()}
    return (book.global_rule, book.server_rules, {k: v for k, v in mounts.items() if v})


@dataclass(slots=True)
class _Seen:
    """What a server's latest heartbeat showed, as far as alerts go."""

    received_at: datetime
    # The heartbeat's timestamp as sent: the snapshot keeps one a second (`at`).
    stamp: datetime
    # Per mount (by the hash of its mount point); None for an agent that sends no filesystems.
    mounts: dict[int, _Mount] | None
    pools: int | None = None
    # Mounts missing from the latest heartbeats: for how many so far (up to VANISH_HEARTBEATS).
    gone: dict[int, int] = field(default_factory=dict)
    # The mounts' limits in their order, for the check of the next heartbeat.
    limits: tuple[MountLimits, ...] = ()

    @property
    def at(self) -> datetime:
        return self.stamp.replace(microsecond=0)

    def older_second(self, stamp: datetime) -> bool:
        """Whether `stamp` falls in an earlier second than this one's, or the same (a replay,
        or a retry the snapshot holds)."""
        # Mostly a second or more later: told without working out either second.
        return stamp < self.stamp + ONE_SECOND and stamp.replace(microsecond=0) <= self.at

    @property
    def size(self) -> int:
        return len(self.mounts or ()) + len(self.gone)


def _gone(
    seen: _Seen, old: dict[int, _Mount], fresh: _Seen, mounts: dict[int, _Mount], changed: bool
) -> bool:
    """Count in `fresh` the mounts missing since `seen`; whether any is (a whole pass).
    `changed`: some mount is new or in another band (one may have taken a gone one's place)."""
    gone = False
    for key, count in seen.gone.items():
        if key not in mounts and count < VANISH_HEARTBEATS:
            fresh.gone[key] = count + 1  # `vanished` fires at the second heartbeat without
            gone = True
    if len(mounts) != len(old) or changed or gone:
        for key in old.keys() - mounts.keys():
            fresh.gone[key] = 1
            gone = True
    return gone


def _same_bands(heartbeat: HeartbeatRequest, seen: _Seen, pools: int | None) -> bool:
    """Whether the heartbeat has the mounts of `seen`, in the same order, each in its band, and
    nothing else a pass judges changed (no drive readings, the pools as they were, no mount
    counted gone): most heartbeats, judged without building anything."""
    old, fss = seen.mounts, heartbeat.filesystems
    if (
        old is None
        or fss is None
        or seen.gone
        or heartbeat.drives is not None
        or (pools is not None and pools != seen.pools)
        or len(fss) != len(old)
    ):
        return False
    # The remembered mounts are in the order of the heartbeat they came from, one a mount
    # point (its hash is in the limits): the same in the same order are the same mounts.
    return _kept(fss, seen.limits)


class CrossingWatch:
    """The bands of each server's latest heartbeat; says which heartbeats need a pass.

    Called from the writer thread (`crossings`), request threads (`forget_server`) and the alert
    thread (`use_rules`): one lock, held for memory work only. A band remembered was worked out
    with the levels then in force; `use_rules` forgets them all when the levels change.
    """

    def __init__(self, offline_after_seconds: float, max_mounts: int = MOUNT_ENTRIES) -> None:
        self._offline_after = offline_after_seconds
        self._max_mounts = max_mounts
        self._servers: OrderedDict[str, _Seen] = OrderedDict()
        self._mounts = 0
        self._book = PolicyBook()
        self._rules: object = rules_key(self._book)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """Mounts remembered, over all servers."""
        return self._mounts

    def changes(self, stored: Iterable[tuple[HeartbeatRequest, datetime]]) -> dict[str, Scope]:
        """Per server of these stored heartbeats that needs a pass (in the order stored): what
        the pass must judge."""
        woken: dict[str, Scope] = {}
        with self._lock:
            for heartbeat, received_at in stored:
                scope = self._crossed(heartbeat, received_at)
                if scope is not None:
                    merge_scopes(woken, {heartbeat.server_id: scope})
        return woken

    def confirm(self, snapshots: Mapping[str, datetime | None]) -> None:
        """The time of each passed server's stored snapshot: bands remembered from an older
        heartbeat than that are forgotten (the server's next heartbeat wakes a whole pass)."""
        with self._lock:
            for server_id, at in snapshots.items():
                seen = self._servers.get(server_id)
                if seen is not None and at is not None and seen.at < at:
                    self._drop(server_id)

    def forget_server(self, server_id: str) -> None:
        """Drop a server (deleted): its next heartbeat, if any, wakes a pass."""
        with self._lock:
            self._drop(server_id)

    def use_rules(self, book: PolicyBook) -> bool:
        """The levels in force now; when they changed (True), every server's next heartbeat
        wakes a pass (the bands remembered were taken against the old levels)."""
        key = rules_key(book)
        with self._lock:
            self._book = book
            if key == self._rules:
                return False
            self._rules = key
            self._servers.clear()
            self._mounts = 0
            return True

    def _crossed(self, heartbeat: HeartbeatRequest, received_at: datetime) -> Scope | None:
        server_id = heartbeat.server_id
        stamp = heartbeat.timestamp
        seen = self._servers.get(server_id)
        # A sighting is stored in whole seconds (last_seen_at), so a gap a second short of the
        # threshold may already have shown the server offline to a pass.
        back = (
            seen is None
            or (received_at - seen.received_at).total_seconds() + 1 > self._offline_after
        )
        if seen is not None and seen.older_second(stamp):
            # A replay older than the snapshot, or a retry of the heartbeat it holds (one is
            # stored per server and second): the snapshot, and so the alerts, keep the stored
            # figures. It still counts as a sighting (the server is back online).
            seen.received_at = max(seen.received_at, received_at)
            self._servers.move_to_end(server_id)
            return WHOLE if back else None
        pools = None if heartbeat.pools is None else hash(POOLS.dump_json(heartbeat.pools))
        if not back and seen is not None and _same_bands(heartbeat, seen, pools):
            # Nothing to judge: what the slow path below would keep, kept in place.
            seen.received_at, seen.stamp = received_at, stamp
            self._servers.move_to_end(server_id)
            return None
        fresh = _Seen(received_at, stamp, None, pools)
        mounts = self._judge(heartbeat, seen, fresh)
        storage = heartbeat.drives is not None
        if seen is not None:
            if pools is None:  # no pool pass since the last heartbeat: the hub keeps what it had
                fresh.pools = seen.pools
            storage |= pools is not None and pools != seen.pools
        self._drop(server_id)
        self._servers[server_id] = fresh
        self._mounts += fresh.size
        while self._mounts > self._max_mounts and len(self._servers) > 1:
            self._drop(next(iter(self._servers)))
        if back or mounts is None:
            return WHOLE
        return Scope(mounts, storage) if mounts or storage else None

    def _judge(
        self, heartbeat: HeartbeatRequest, seen: _Seen | None, fresh: _Seen
    ) -> frozenset[str] | None:
        """Fill `fresh` with the heartbeat's bands; the mount points whose band differs from
        `seen`'s (None: the whole server changed, a mount gone or the filesystems sent or not)."""
        old = seen.mounts if seen is not None else None
        if heartbeat.filesystems is None:
            return None if seen is not None and old is not None else frozenset()
        mounts: dict[int, _Mount] = {}
        changed: set[str] = set()
        book, server_id = self._book, heartbeat.server_id
        # A later entry of one mount point shadows an earlier one, as in the stored snapshot.
        for fs in heartbeat.filesystems:
            key = hash(fs.mount_point)
            before = old.get(key) if old is not None else None
            if before is not None and before.keeps(fs):
                mounts[key] = before
                continue
            mount = _Mount(book.policy(server_id, fs.mount_point), fs)
            mounts[key] = mount
            if before is None or before.band != mount.band:
                changed.add(fs.mount_point)
        fresh.mounts = mounts
        fresh.limits = tuple(mount.limits for mount in mounts.values())
        if seen is None:
            return frozenset(changed)
        if old is None or _gone(seen, old, fresh, mounts, bool(changed)):
            return None
        return frozenset(changed)

    def _drop(self, server_id: str) -> None:
        seen = self._servers.pop(server_id, None)
        if seen is not None:
            self._mounts -= seen.size
