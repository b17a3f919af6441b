"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile).

Each hash or check takes 64 MiB for its duration, so the hub runs them through a `PasswordGate`:
at most `max_concurrent` at once, a few more waiting a bounded time, the rest refused with 503
and Retry-After. Memory then stays bounded whatever burst of sign-ins arrives.
"""

import threading
from collections.abc import Callable
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from homelab_cmd.errors import PasswordChecksBusy

_T = TypeVar("_T")
_hasher = PasswordHasher()
# Checked when the username is unknown, so a wrong name costs as long as a wrong password and
# the answer time does not tell which names exist.
_DUMMY_HASH = _hasher.hash("no user has this password, it only burns the same time")


def hash_password(password: str) -> str:
    """The argon2id hash to store, parameters and salt included."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; None (no such user) is checked against a dummy hash."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


class PasswordGate:
    """Runs password hashes and checks at most `max_concurrent` at a time.

    Up to `max_waiting` more callers wait, each at most `wait_seconds`; past either bound the
    caller gets PasswordChecksBusy (503, Retry-After) at once, so waiting threads are bounded too.
    `on_check` is called once per hash computed (the hub counts them in /metrics).
    """

    def __init__(
        self,
        max_concurrent: int,
        wait_seconds: float,
        max_waiting: int | None = None,
        on_check: Callable[[], None] = lambda: None,
        retry_after_seconds: int = 2,
    ) -> None:
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._wait_seconds = wait_seconds
        # Those checking plus those waiting; four waiting per slot keeps a queue short enough to
        # drain within the wait bound at a typical 0.1-0.5 s per check.
        self._max_entered = max_concurrent + (
            4 * max_concurrent if max_waiting is None else max_waiting
        )
        self._entered = 0
        self._lock = threading.Lock()
        self._on_check = on_check
        self._retry_after = retry_after_seconds

    def run(self, work: Callable[[], _T]) -> _T:
        """`work()` once a slot is free; PasswordChecksBusy past the bounds."""
        with self._lock:
            if self._entered >= self._max_entered:
                raise self._busy()
            self._entered += 1
        try:
            if not self._slots.acquire(timeout=self._wait_seconds):
                raise self._busy()
            try:
                self._on_check()
                return work()
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._entered -= 1

    def _busy(self) -> PasswordChecksBusy:
        return PasswordChecksBusy(
            "the hub is busy checking other passwords; try again in a moment",
            retry_after_seconds=self._retry_after,
        )

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """`verify_password` within the bounds."""
        return self.run(lambda: verify_password(stored_hash, password))

    def hash(self, password: str) -> str:
        """`hash_password` within the bounds."""
        return self.run(lambda: hash_password(password))
