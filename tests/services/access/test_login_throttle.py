"""The login throttle: slots reserved before the check, failures that decay, a lockout keyed so
that a stranger's failures do not lock the owner out, and memory bounded under a spray."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from homelab_cmd.errors import TooManyAttempts
from homelab_cmd.services.access.login_throttle import AddressThrottle, LoginLimits, LoginThrottle

STRANGER = "10.0.0.66"
OWNER = "10.0.0.2"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def _fail(throttle: LoginThrottle, address: str, username: str, times: int = 1) -> None:
    for _ in range(times):
        throttle.reserve(address, username)  # reserved and never released: a failure


def test_a_pair_is_refused_after_its_failures_until_the_oldest_leaves_the_window() -> None:
    clock = Clock()
    throttle = LoginThrottle(LoginLimits(per_user_address=3, window_seconds=60), clock=clock)
    _fail(throttle, STRANGER, "alice", 3)

    with pytest.raises(TooManyAttempts) as refused:
        throttle.reserve(STRANGER, "alice")
    assert refused.value.headers == {"Retry-After": "60"}

    clock.now += 59.5
    with pytest.raises(TooManyAttempts) as still:
        throttle.reserve(STRANGER, "alice")
    assert still.value.headers == {"Retry-After": "1"}
    clock.now += 0.5
    throttle.reserve(STRANGER, "alice")


def test_concurrent_reservations_never_pass_more_than_the_limit() -> None:
    throttle = LoginThrottle(LoginLimits(per_user_address=5, per_address=20, per_user=10))

    def attempt(_: int) -> bool:
        try:
            throttle.reserve(STRANGER, "admin")
        except TooManyAttempts:
            return False
        return True

    with ThreadPoolExecutor(16) as pool:
        admitted = sum(pool.map(attempt, range(60)))

    assert admitted == 5


def test_one_failure_a_minute_never_adds_up_to_a_lock() -> None:
    clock = Clock()
    throttle = LoginThrottle(LoginLimits(per_user_address=5, window_seconds=300), clock=clock)

    for _ in range(120):  # two hours of one wrong password a minute
        throttle.reserve(STRANGER, "admin")
        clock.now += 61

    throttle.reserve(STRANGER, "admin").succeeded()


def test_a_strangers_failures_do_not_lock_the_owner_out_of_a_known_address() -> None:
    clock = Clock()
    throttle = LoginThrottle(
        LoginLimits(per_user_address=5, per_address=1000, per_user=10), clock=clock
    )
    throttle.reserve(OWNER, "admin").succeeded()
    for i in range(10):  # a spray from many addresses: the username-wide count fills
        _fail(throttle, f"192.0.2.{i}", "admin")

    with pytest.raises(TooManyAttempts):
        throttle.reserve("198.51.100.7", "admin")  # a new address is locked out
    throttle.reserve(OWNER, "admin").succeeded()  # the owner's usual one is not


def test_a_success_gives_back_its_slot_and_forgets_the_pairs_failures() -> None:
    throttle = LoginThrottle(LoginLimits(per_user_address=2, per_address=3), clock=Clock())
    _fail(throttle, OWNER, "alice")

    throttle.reserve(OWNER, "alice").succeeded()

    _fail(throttle, OWNER, "alice")
    _fail(throttle, OWNER, "bob")  # the address has one failure left of three
    with pytest.raises(TooManyAttempts):
        throttle.reserve(OWNER, "carol")


def test_a_released_attempt_counts_for_nothing() -> None:
    throttle = LoginThrottle(LoginLimits(per_user_address=1), clock=Clock())

    throttle.reserve(OWNER, "alice").release()

    throttle.reserve(OWNER, "alice")


def test_failures_from_before_the_password_was_changed_do_not_count() -> None:
    clock = Clock()
    throttle = LoginThrottle(LoginLimits(per_user_address=3, per_user=3), clock=clock)
    _fail(throttle, STRANGER, "admin", 3)
    with pytest.raises(TooManyAttempts):
        throttle.reserve(STRANGER, "admin")
    clock.now += 1

    # `users reset-password` stamped password_changed_at just now.
    throttle.reserve(STRANGER, "admin", password_changed_at=clock.now - 0.5).succeeded()


def test_an_address_is_refused_across_usernames() -> None:
    throttle = LoginThrottle(LoginLimits(per_address=4), clock=Clock())
    for i in range(4):
        _fail(throttle, STRANGER, f"user{i}")

    with pytest.raises(TooManyAttempts):
        throttle.reserve(STRANGER, "someone-else")
    throttle.reserve(OWNER, "someone-else")


def test_memory_stays_bounded_when_many_addresses_and_names_are_tried() -> None:
    throttle = LoginThrottle(LoginLimits(max_keys=50), clock=Clock())

    for i in range(10_000):
        attempt = throttle.reserve(f"10.{i // 256}.{i % 256}.1", f"user-{i}")
        if i % 2:
            attempt.succeeded()

    pairs, addresses, users, known = throttle.sizes()
    assert (addresses, users, known) == (50, 50, 50)
    assert pairs <= 50


def test_the_address_throttle_counts_every_attempt_and_refills_with_time() -> None:
    clock = Clock()
    throttle = AddressThrottle(3, 60.0, clock=clock, what="enrollment attempts")
    for _ in range(3):
        throttle.spend(STRANGER)

    with pytest.raises(TooManyAttempts) as refused:
        throttle.spend(STRANGER)
    assert refused.value.detail == "too many enrollment attempts from this address; try again later"
    throttle.spend(OWNER)
    clock.now += 60
    throttle.spend(STRANGER)


def test_the_address_throttle_keeps_a_bounded_number_of_addresses() -> None:
    throttle = AddressThrottle(3, 60.0, max_keys=10, clock=Clock())

    for i in range(1000):
        throttle.spend(f"10.0.{i // 256}.{i % 256}")

    assert len(throttle) == 10
