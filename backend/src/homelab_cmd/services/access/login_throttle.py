"""Slowing password guessing without letting a stranger lock anyone out.

The rule (docs/security.md states it for operators):

- A sign-in reserves its slot *before* the password is checked, under one lock: a burst of
  concurrent guesses gets exactly as many checks as the limits leave, never one more. A failed
  check keeps its slot (it is a failure); a success gives its slot back.
- Failures count within a sliding window (`window_seconds`, default 5 minutes); older ones do
  not count at all, so one failure a minute never adds up to a lock.
- Three counts are kept: per (username, address) — 5 by default; per address, across usernames
  — 20; and per username, across addresses — 10. The username-wide count does not apply to an
  address that has signed in successfully as that user before (the last `known_addresses` such
  addresses per user are remembered): a stranger spraying one account from many addresses locks
  out other strangers, not the owner at their usual address.
- Failures for a username that happened before its password was last changed do not count:
  `homelab-cmd users reset-password` stamps `password_changed_at`, and the hub compares it on
  the next attempt, so a reset from the command line clears the running hub's lockout.
- Sessions already open are never touched by any of this.

Memory is bounded: at most `max_keys` entries of each kind, least recently touched forgotten
first (a forgotten entry only errs towards letting a person in). Each entry keeps at most its
limit's count of timestamps.

`AddressThrottle` is the same sliding window for one key, the client's address, for endpoints
where every attempt counts (enrolling a host with a code).
"""

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from homelab_cmd.errors import TooManyAttempts

# Checked most often, so named once: what a refused sign-in says.
_REFUSED = "too many failed sign-ins from this address or for this user; try again later"


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """How many failures each key may collect within the window."""

    per_user_address: int = 5
    per_address: int = 20
    per_user: int = 10
    window_seconds: float = 300.0
    known_addresses: int = 8
    max_keys: int = 10_000


class _Windows:
    """Recent failure times per key, newest last, at most `limit` each and `max_keys` keys."""

    def __init__(self, limit: int, window: float, max_keys: int) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._data: OrderedDict[object, deque[float]] = OrderedDict()

    def _recent(self, key: object, now: float, since: float | None) -> deque[float] | None:
        times = self._data.get(key)
        if times is None:
            return None
        floor = now - self.window if since is None else max(now - self.window, since)
        while times and times[0] <= floor:
            times.popleft()
        if not times:
            del self._data[key]
            return None
        return times

    def wait(self, key: object, now: float, since: float | None = None) -> float:
        """Seconds until one more failure may be tried for `key`; 0 when one may be now."""
        times = self._recent(key, now, since)
        if times is None or len(times) < self.limit:
            return 0.0
        return times[0] + self.window - now

    def add(self, key: object, now: float) -> None:
        times = self._data.get(key)
        if times is None:
            times = self._data[key] = deque(maxlen=self.limit)
        times.append(now)
        self._data.move_to_end(key)
        while len(self._data) > self.max_keys:
            self._data.popitem(last=False)

    def remove(self, key: object, at: float) -> None:
        """Take back a failure counted at `at` (a reservation that turned out fine); of two
        counted in the same clock tick either may go, which counts the same."""
        times = self._data.get(key)
        if times is not None and at in times:
            times.remove(at)

    def forget(self, key: object) -> None:
        self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)


def _refusal(wait: float, detail: str = _REFUSED) -> TooManyAttempts:
    return TooManyAttempts(detail, retry_after_seconds=max(1, math.ceil(round(wait, 3))))


class Attempt:
    """A reserved sign-in: counted as a failure until `succeeded` or `release` says otherwise."""

    def __init__(self, throttle: "LoginThrottle", address: str, username: str, at: float) -> None:
        self._throttle = throttle
        self.address = address
        self.username = username
        self.at = at

    def succeeded(self) -> None:
        """The password was right: the slot is given back, the pair's failures forgotten and
        the address remembered as one this user signs in from."""
        self._throttle._succeeded(self)

    def release(self) -> None:
        """The password was never checked (the hub was busy): the slot is given back."""
        self._throttle._release(self)


class LoginThrottle:
    """Reserves sign-in attempts against the limits, and remembers where users sign in from."""

    def __init__(
        self, limits: LoginLimits | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        # Wall-clock time: failures are compared with the account's password_changed_at.
        self.limits = limits = limits or LoginLimits()
        window, keys = limits.window_seconds, limits.max_keys
        self._pairs = _Windows(limits.per_user_address, window, keys)
        self._addresses = _Windows(limits.per_address, window, keys)
        self._users = _Windows(limits.per_user, window, keys)
        self._known: OrderedDict[str, OrderedDict[str, None]] = OrderedDict()
        self._clock = clock
        self._lock = threading.Lock()

    def reserve(
        self, address: str, username: str, password_changed_at: float | None = None
    ) -> Attempt:
        """An Attempt, counted at once; TooManyAttempts (with the wait) when a limit is used up.

        `password_changed_at` (a POSIX time) drops the user's failures from before it.
        """
        now = self._clock()
        pair = (username, address)
        with self._lock:
            wait = max(
                self._pairs.wait(pair, now, password_changed_at),
                self._addresses.wait(address, now),
                0.0
                if self._is_known(username, address)
                else self._users.wait(username, now, password_changed_at),
            )
            if wait > 0:
                raise _refusal(wait)
            self._pairs.add(pair, now)
            self._addresses.add(address, now)
            self._users.add(username, now)
        return Attempt(self, address, username, now)

    def _is_known(self, username: str, address: str) -> bool:
        known = self._known.get(username)
        return known is not None and address in known

    def _release(self, attempt: Attempt) -> None:
        with self._lock:
            self._pairs.remove((attempt.username, attempt.address), attempt.at)
            self._addresses.remove(attempt.address, attempt.at)
            self._users.remove(attempt.username, attempt.at)

    def _succeeded(self, attempt: Attempt) -> None:
        with self._lock:
            self._pairs.forget((attempt.username, attempt.address))
            self._addresses.remove(attempt.address, attempt.at)
            self._users.remove(attempt.username, attempt.at)
            known = self._known.setdefault(attempt.username, OrderedDict())
            known[attempt.address] = None
            known.move_to_end(attempt.address)
            while len(known) > self.limits.known_addresses:
                known.popitem(last=False)
            self._known.move_to_end(attempt.username)
            while len(self._known) > self.limits.max_keys:
                self._known.popitem(last=False)

    def sizes(self) -> tuple[int, int, int, int]:
        """How many pair, address, username and known-address entries are held."""
        with self._lock:
            return len(self._pairs), len(self._addresses), len(self._users), len(self._known)


class AddressThrottle:
    """At most `limit` attempts per client address within `window_seconds`; every one counts.

    For endpoints whose secret is guessable in principle (an enrollment code): a caller that
    uses up its attempts gets 429 with Retry-After, without the code being looked at.
    """

    def __init__(
        self,
        limit: int,
        window_seconds: float,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
        what: str = "attempts",
    ) -> None:
        self._windows = _Windows(limit, window_seconds, max_keys)
        self._clock = clock
        self._lock = threading.Lock()
        self._detail = f"too many {what} from this address; try again later"

    def spend(self, address: str) -> None:
        """Count one attempt from `address`; TooManyAttempts if none is left."""
        now = self._clock()
        with self._lock:
            wait = self._windows.wait(address, now)
            if wait > 0:
                raise _refusal(wait, self._detail)
            self._windows.add(address, now)

    def __len__(self) -> int:
        with self._lock:
            return len(self._windows)
