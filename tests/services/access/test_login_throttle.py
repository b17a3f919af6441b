"""The login throttle: buckets refill with time and memory stays bounded under a spray."""

import pytest

from homelab_cmd.errors import TooManyAttempts
from homelab_cmd.services.access.login_throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_user_bucket_refills_one_attempt_per_period() -> None:
    clock = Clock()
    throttle = LoginThrottle(per_address=(100, 1.0), per_user=(3, 60.0), clock=clock)
    for _ in range(3):
        throttle.check("10.0.0.1", "alice")
        throttle.failed("10.0.0.1", "alice")

    with pytest.raises(TooManyAttempts) as refused:
        throttle.check("10.0.0.2", "alice")
    assert refused.value.headers == {"Retry-After": "60"}

    clock.now += 59
    with pytest.raises(TooManyAttempts) as still:
        throttle.check("10.0.0.2", "alice")
    assert still.value.headers == {"Retry-After": "1"}
    clock.now += 1
    throttle.check("10.0.0.2", "alice")


def test_a_success_forgets_the_accounts_failures() -> None:
    throttle = LoginThrottle(per_user=(2, 60.0), clock=Clock())
    throttle.failed("10.0.0.1", "alice")
    throttle.succeeded("alice")
    throttle.failed("10.0.0.1", "alice")

    throttle.check("10.0.0.1", "alice")


def test_memory_stays_bounded_when_many_addresses_and_names_are_tried() -> None:
    throttle = LoginThrottle(max_keys=50, clock=Clock())

    for i in range(10_000):
        throttle.failed(f"10.{i // 256}.{i % 256}.1", f"user-{i}")

    assert throttle.sizes() == (50, 50)
