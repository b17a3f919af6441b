"""Slowing password guessing: failed sign-ins spend from a bucket per client address and per
username; an empty bucket answers 429 until it refills.

Each bucket holds `burst` failures and regains one every `refill_seconds`. The per-username
bucket stops a spread-out attack on one account; the per-address one stops one client trying
many accounts. Memory is bounded: at most `max_keys` buckets of each kind, the least recently
touched forgotten first (a forgotten bucket is a full one, which only errs towards letting a
person in).
"""

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from homelab_cmd.errors import TooManyAttempts


@dataclass(slots=True)
class _Bucket:
    level: float
    at: float


class _Buckets:
    def __init__(self, burst: int, refill_seconds: float, max_keys: int) -> None:
        self.burst = burst
        self.refill_seconds = refill_seconds
        self.max_keys = max_keys
        self._data: OrderedDict[str, _Bucket] = OrderedDict()

    def _level(self, key: str, now: float) -> float:
        bucket = self._data.get(key)
        if bucket is None:
            return float(self.burst)
        return min(self.burst, bucket.level + (now - bucket.at) / self.refill_seconds)

    def wait(self, key: str, now: float) -> float:
        """Seconds until one more failure may be tried; 0 when one may be tried now."""
        level = self._level(key, now)
        return 0.0 if level >= 1 else (1 - level) * self.refill_seconds

    def spend(self, key: str, now: float) -> None:
        self._data[key] = _Bucket(level=max(0.0, self._level(key, now) - 1), at=now)
        self._data.move_to_end(key)
        while len(self._data) > self.max_keys:
            self._data.popitem(last=False)

    def forget(self, key: str) -> None:
        self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)


class LoginThrottle:
    """Decides whether a sign-in may be tried now, and remembers failures."""

    def __init__(
        self,
        per_address: tuple[int, float] = (20, 30.0),
        per_user: tuple[int, float] = (5, 60.0),
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._addresses = _Buckets(*per_address, max_keys)
        self._users = _Buckets(*per_user, max_keys)
        self._clock = clock
        self._lock = threading.Lock()

    def check(self, address: str, username: str) -> None:
        """TooManyAttempts, with the seconds to wait, if either bucket is empty."""
        now = self._clock()
        with self._lock:
            wait = max(self._addresses.wait(address, now), self._users.wait(username, now))
        if wait > 0:
            raise TooManyAttempts(
                "too many failed sign-ins from this address or for this user; try again later",
                retry_after_seconds=max(1, math.ceil(round(wait, 3))),
            )

    def failed(self, address: str, username: str) -> None:
        """Count a failed sign-in against both buckets."""
        now = self._clock()
        with self._lock:
            self._addresses.spend(address, now)
            self._users.spend(username, now)

    def succeeded(self, username: str) -> None:
        """The right password was given: the account's failures are forgotten."""
        with self._lock:
            self._users.forget(username)

    def sizes(self) -> tuple[int, int]:
        """How many address and username buckets are held (for tests of the memory bound)."""
        with self._lock:
            return len(self._addresses), len(self._users)
