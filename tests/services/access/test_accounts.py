"""Signing in against a real database (both engines): the owner's usual addresses come back
from the audit log, so a restart does not hand a stranger the power to lock the admin out."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AuditEvent
from homelab_cmd.errors import InvalidCredentials, TooManyAttempts
from homelab_cmd.services import audit
from homelab_cmd.services.access import accounts
from homelab_cmd.services.access.hashing import PasswordGate
from homelab_cmd.services.access.login_throttle import LoginThrottle
from tests.factories import ADMIN_PASSWORD, ADMIN_USERNAME, make_admin

OWNER = "10.0.0.2"
OWNER_V6 = "2001:db8:0:7::1"
LIFETIME = timedelta(hours=1)


def _sign_in(
    engine: Engine, throttle: LoginThrottle, address: str, password: str = ADMIN_PASSWORD
) -> None:
    with Session(engine) as session:
        accounts.sign_in(
            session,
            (throttle, PasswordGate(2, 30.0)),
            address,
            (ADMIN_USERNAME, password),
            LIFETIME,
        )


def _sign_ins(engine: Engine) -> int:
    with Session(engine) as session:
        query = select(func.count()).where(AuditEvent.action == accounts.SIGNED_IN)
        return int(session.scalar(query) or 0)


def test_after_a_restart_a_spray_of_strangers_does_not_lock_the_owner_out(engine: Engine) -> None:
    make_admin(engine)
    before_restart = LoginThrottle()
    _sign_in(engine, before_restart, OWNER)  # recorded in the audit log
    _sign_in(engine, before_restart, "2001:db8:0:7::abcd")  # the owner's IPv6 host

    restarted = LoginThrottle()  # a fresh hub process (or another hub): nothing in memory
    for i in range(restarted.limits.per_user):
        with pytest.raises(InvalidCredentials):
            _sign_in(engine, restarted, f"192.0.2.{i}", "a-wrong-guess")
    with pytest.raises(TooManyAttempts) as stranger:
        _sign_in(engine, restarted, "198.51.100.7")  # even with the right password
    _sign_in(engine, restarted, OWNER)
    _sign_in(engine, restarted, OWNER_V6)  # another address of the same /64

    assert stranger.value.detail == (
        "too many failed sign-ins from this address or for this user; try again later"
    )
    assert _sign_ins(engine) == 4


def test_the_last_sign_in_addresses_are_read_distinct_and_newest_first(engine: Engine) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        ("auth.sign_in", "10.0.0.1", ADMIN_USERNAME),
        ("auth.sign_in", "10.0.0.2", ADMIN_USERNAME),
        ("auth.sign_in", "10.0.0.1", ADMIN_USERNAME),
        ("auth.sign_in_failed", "10.0.0.9", ADMIN_USERNAME),
        ("auth.sign_in", "10.0.0.8", "someone-else"),
        ("auth.sign_in", None, ADMIN_USERNAME),
        ("auth.sign_in", "10.0.0.3", ADMIN_USERNAME),
    ]
    with Session(engine) as session:
        for i, (action, source, target) in enumerate(rows):
            audit.record(
                session, action, "x", start + timedelta(minutes=i), source=source, target=target
            )
        session.commit()

        newest = accounts.sign_in_addresses(session, ADMIN_USERNAME, 8)
        two = accounts.sign_in_addresses(session, ADMIN_USERNAME, 2)

    assert newest == ["10.0.0.3", "10.0.0.1", "10.0.0.2"]
    assert two == ["10.0.0.3", "10.0.0.1"]
