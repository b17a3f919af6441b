"""The login throttle: slots reserved before the check, failures that decay, a lockout keyed so
that a stranger's failures do not lock the owner out, and memory bounded under a spray."""

import contextlib
from concurrent.futures import ThreadPoolExecutor

import pytest

from homelab_cmd.errors import TooManyAttempts
from homelab_cmd.services.access.login_throttle import (
    AddressThrottle,
    LoginLimits,
    LoginThrottle,
    address_key,
)

STRANGER = "10.0.0.66"
OWNER = "10.0.0.2"
REFUSED = "too many failed sign-ins from this address or for this user; try again later"


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

    attempt = throttle.reserve(STRANGER, "admin")
    attempt.succeeded()

    # Only the failures of the last five minutes were held, and a success forgot the pair's.
    assert (attempt.address, attempt.username) == (STRANGER, "admin")
    assert throttle.sizes() == (0, 1, 1, 1)


def test_a_strangers_failures_do_not_lock_the_owner_out_of_a_known_address() -> None:
    clock = Clock()
    throttle = LoginThrottle(
        LoginLimits(per_user_address=5, per_address=1000, per_user=10), clock=clock
    )
    throttle.reserve(OWNER, "admin").succeeded()
    for i in range(10):  # a spray from many addresses: the username-wide count fills
        _fail(throttle, f"192.0.2.{i}", "admin")

    with pytest.raises(TooManyAttempts) as refused:
        throttle.reserve("198.51.100.7", "admin")  # a new address is locked out
    assert refused.value.detail == REFUSED
    throttle.reserve(OWNER, "admin").succeeded()  # the owner's usual one is not


class AuditLog:
    """The addresses the audit log holds for the owner's sign-ins, and how often it was read."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = list(addresses)
        self.reads = 0

    def __call__(self) -> list[str]:
        self.reads += 1
        return self.addresses


def test_after_a_restart_the_owners_usual_address_is_read_back_when_the_user_count_is_full() -> (
    None
):
    clock = Clock()
    limits = LoginLimits(per_user_address=5, per_address=1000, per_user=10)
    throttle = LoginThrottle(limits, clock=clock)  # a fresh process: nothing remembered
    audit = AuditLog(OWNER, "10.0.0.3")
    for i in range(10):  # a spray from many addresses fills the username-wide count
        throttle.reserve(f"192.0.2.{i}", "admin", signed_in_from=audit)
    assert audit.reads == 0  # not read while the count had room

    with pytest.raises(TooManyAttempts) as refused:
        throttle.reserve("198.51.100.7", "admin", signed_in_from=audit)
    owner = throttle.reserve(OWNER, "admin", signed_in_from=audit)
    owner.succeeded()
    with pytest.raises(TooManyAttempts):
        throttle.reserve("198.51.100.8", "admin", signed_in_from=audit)

    assert refused.value.detail == REFUSED
    assert owner.address == OWNER
    assert audit.reads == 1  # once for the whole spray, not once per attempt


def test_the_audit_log_is_read_again_once_a_window_while_a_spray_goes_on() -> None:
    clock = Clock()
    throttle = LoginThrottle(LoginLimits(per_address=1000, per_user=3), clock=clock)
    audit = AuditLog()
    for minute in range(10):
        for i in range(4):
            with contextlib.suppress(TooManyAttempts):
                throttle.reserve(f"192.0.{minute}.{i}", "admin", signed_in_from=audit)
        clock.now += 60

    # Ten minutes of a full user count, a 300 s window: read at minute 0 and minute 5 only.
    assert audit.reads == 2


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

    throttle.reserve(OWNER, "alice")  # the released slot is free again; this one is a failure
    with pytest.raises(TooManyAttempts) as refused:
        throttle.reserve(OWNER, "alice")
    assert refused.value.detail == REFUSED
    assert refused.value.headers == {"Retry-After": "300"}
    assert throttle.sizes() == (1, 1, 1, 0)  # one failure held per key, no known address


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


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("10.0.0.1", "10.0.0.1"),
        ("::ffff:192.0.2.7", "192.0.2.7"),  # IPv4 on a dual-stack socket: still one address
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::1", "::/64"),
        ("unknown", "unknown"),
        ("testclient", "testclient"),
    ],
)
def test_addresses_are_counted_ipv4_whole_and_ipv6_by_their_64(address: str, key: str) -> None:
    assert address_key(address) == key


def test_an_ipv6_host_cannot_escape_the_limits_by_changing_its_interface_id() -> None:
    logins = LoginThrottle(LoginLimits(per_user_address=3, per_address=1000), clock=Clock())
    enrollments = AddressThrottle(3, 60.0, clock=Clock())
    for i in range(3):
        logins.reserve(f"2001:db8:0:1::{i + 1:x}", "admin")
        enrollments.spend(f"2001:db8:0:1:{i + 1:x}::1")

    with pytest.raises(TooManyAttempts) as login:
        logins.reserve("2001:db8:0:1:abcd::99", "admin")
    with pytest.raises(TooManyAttempts) as enroll:
        enrollments.spend("2001:db8:0:1::ffff")

    assert login.value.detail == REFUSED
    assert enroll.value.detail == "too many attempts from this address; try again later"
    # The next /64 over is another host's.
    assert logins.reserve("2001:db8:0:2::1", "admin").address == "2001:db8:0:2::/64"
    enrollments.spend("2001:db8:0:2::1")
    assert len(enrollments) == 2
