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
  out other strangers, not the owner at their usual address. The remembered addresses live in
  this process; when the username-wide count would refuse and this process has not read them
  within the window (it restarted, or the owner signs in on another hub), the caller's
  `signed_in_from` reads the user's last sign-in addresses from the audit log: one query per
  user and window, only on that path.
- Addresses are counted as `address_key` says: an IPv4 address whole, an IPv6 address by its
  /64 (one host's prefix, whose other 2^64 addresses it may use freely).
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

import ipaddress
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from homelab_cmd.errors import TooManyAttempts

# Checked most often, so named once: what a refused sign-in says.
_REFUSED = "too many failed sign-ins from this address or for this user; try again later"


_HOST_BITS_OF_A_64 = (1 << 64) - 1


def address_key(address: str) -> str:
    """What per-address counts are kept under: an IPv4 address (IPv4-mapped IPv6 too) whole, an
    IPv6 address as its /64 network (`2001:db8:1:2::/64`); anything else (`unknown`) as given."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((int(ip) & ~_HOST_BITS_OF_A_64, 64)))


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

    def __init__(
        self, throttle: "LoginThrottle", address: str, username: str, at: float, *, user_wide: bool
    ) -> None:
        self._throttle = throttle
        self.address = address  # as `address_key` counts it
        self.username = username
        self.at = at
        # Counted in the username-wide count too (the address is not a known one).
        self.user_wide = user_wide

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
        # When each user's sign-in addresses were last read from the audit log.
        self._read_at: OrderedDict[str, float] = OrderedDict()
        self._clock = clock
        self._lock = threading.Lock()

    def reserve(
        self,
        address: str,
        username: str,
        password_changed_at: float | None = None,
        signed_in_from: Callable[[], Iterable[str]] | None = None,
    ) -> Attempt:
        """An Attempt, counted at once; TooManyAttempts (with the wait) when a limit is used up.

        `password_changed_at` (a POSIX time) drops the user's failures from before it.
        `signed_in_from` gives the addresses the user last signed in from (the audit log's);
        it is called, outside the lock, only when the username-wide count alone would refuse
        and this process has not read them for this user within the window.
        """
        key = address_key(address)
        now = self._clock()
        with self._lock:
            if signed_in_from is None or not self._should_read(
                key, username, now, password_changed_at
            ):
                return self._admit(key, username, now, password_changed_at)
        addresses = [address_key(known) for known in signed_in_from()]
        with self._lock:
            self._read_at[username] = now
            self._read_at.move_to_end(username)
            _trim(self._read_at, self.limits.max_keys)
            for known in reversed(addresses):  # newest last, as successes are remembered
                self._remember(username, known)
            return self._admit(key, username, now, password_changed_at)

    def _should_read(self, key: str, username: str, now: float, changed_at: float | None) -> bool:
        """Whether only the username-wide count refuses, for an address not known here, and
        the user's sign-in addresses were not read within the window."""
        if self._pairs.wait((username, key), now, changed_at) or self._addresses.wait(key, now):
            return False
        if self._is_known(username, key) or not self._users.wait(username, now, changed_at):
            return False
        read_at = self._read_at.get(username)
        return read_at is None or now - read_at >= self.limits.window_seconds

    def _admit(self, key: str, username: str, now: float, changed_at: float | None) -> Attempt:
        pair = (username, key)
        # A known address neither waits for the username-wide count nor adds to it: its
        # attempts must not push a stranger's failures out of the count.
        user_wide = not self._is_known(username, key)
        wait = max(
            self._pairs.wait(pair, now, changed_at),
            self._addresses.wait(key, now),
            self._users.wait(username, now, changed_at) if user_wide else 0.0,
        )
        if wait > 0:
            raise _refusal(wait)
        self._pairs.add(pair, now)
        self._addresses.add(key, now)
        if user_wide:
            self._users.add(username, now)
        return Attempt(self, key, username, now, user_wide=user_wide)

    def _is_known(self, username: str, key: str) -> bool:
        known = self._known.get(username)
        return known is not None and key in known

    def _remember(self, username: str, key: str) -> None:
        known = self._known.setdefault(username, OrderedDict())
        known[key] = None
        known.move_to_end(key)
        _trim(known, self.limits.known_addresses)
        self._known.move_to_end(username)
        _trim(self._known, self.limits.max_keys)

    def _release(self, attempt: Attempt) -> None:
        with self._lock:
            self._pairs.remove((attempt.username, attempt.address), attempt.at)
            self._addresses.remove(attempt.address, attempt.at)
            if attempt.user_wide:
                self._users.remove(attempt.username, attempt.at)

    def _succeeded(self, attempt: Attempt) -> None:
        with self._lock:
            self._pairs.forget((attempt.username, attempt.address))
            self._addresses.remove(attempt.address, attempt.at)
            if attempt.user_wide:
                self._users.remove(attempt.username, attempt.at)
            self._remember(attempt.username, attempt.address)

    def sizes(self) -> tuple[int, int, int, int]:
        """How many pair, address, username and known-address entries are held."""
        with self._lock:
            return len(self._pairs), len(self._addresses), len(self._users), len(self._known)


def _trim(entries: "OrderedDict[str, Any]", most: int) -> None:
    """Forget the least recently touched entries beyond `most`."""
    while len(entries) > most:
        entries.popitem(last=False)


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
        """Count one attempt from `address` (by `address_key`); TooManyAttempts if none is left."""
        key = address_key(address)
        now = self._clock()
        with self._lock:
            wait = self._windows.wait(key, now)
            if wait > 0:
                raise _refusal(wait, self._detail)
            self._windows.add(key, now)

    def __len__(self) -> int:
        with self._lock:
            return len(self._windows)
