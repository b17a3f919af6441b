"""Admin accounts and their browser sessions."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from homelab_cmd.db.models import UserAccount, UserSession
from homelab_cmd.domain.access import Principal, Role
from homelab_cmd.domain.passwords import password_problem, username_problem
from homelab_cmd.errors import InvalidAccount, InvalidCredentials, UsernameTaken, UserNotFound
from homelab_cmd.services.access.hashing import hash_password, needs_rehash, verify_password
from homelab_cmd.services.access.login_throttle import LoginThrottle
from homelab_cmd.services.access.tokens import hash_secret


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session just opened: the cookie value (never stored) and when it stops working."""

    secret: str
    expires_at: datetime


def _check(username: str, password: str) -> None:
    problem = username_problem(username) or password_problem(password)
    if problem:
        raise InvalidAccount(problem)


def user_count(session: Session) -> int:
    """How many accounts exist."""
    return int(session.scalar(select(func.count()).select_from(UserAccount)) or 0)


def create_user(session: Session, username: str, password: str) -> UserAccount:
    """A new admin account; UsernameTaken if the name is in use."""
    _check(username, password)
    now = datetime.now(UTC)
    user = UserAccount(
        username=username,
        password_hash=hash_password(password),
        role=Role.ADMIN.value,
        created_at=now,
        password_changed_at=now,
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise UsernameTaken(username) from exc
    return user


def list_users(session: Session) -> list[UserAccount]:
    """Every account, oldest first."""
    return list(session.scalars(select(UserAccount).order_by(UserAccount.id)))


def find_user(session: Session, username: str) -> UserAccount | None:
    """The account with this exact username, if any."""
    if username_problem(username):
        return None
    return session.scalars(select(UserAccount).where(UserAccount.username == username)).first()


def reset_password(session: Session, username: str, password: str) -> UserAccount:
    """Set a new password and end every session of the account."""
    user = find_user(session, username)
    if user is None:
        raise UserNotFound(username)
    _check(username, password)
    user.password_hash = hash_password(password)
    user.password_changed_at = datetime.now(UTC)
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    session.commit()
    return user


def authenticate(session: Session, username: str, password: str) -> UserAccount | None:
    """The account if the password matches; the same work is done for unknown usernames."""
    user = find_user(session, username)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.commit()
    return user


def open_session(session: Session, user: UserAccount, lifetime: timedelta) -> NewSession:
    """Store a new session for `user`; expired ones of the same user are cleared on the way."""
    now = datetime.now(UTC)
    session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now)
    )
    secret = secrets.token_urlsafe(32)
    expires_at = now + lifetime
    session.add(
        UserSession(
            user_id=user.id, token_hash=hash_secret(secret), created_at=now, expires_at=expires_at
        )
    )
    session.commit()
    return NewSession(secret=secret, expires_at=expires_at)


def sign_in(
    session: Session,
    throttle: LoginThrottle,
    address: str,
    credentials: tuple[str, str],
    lifetime: timedelta,
) -> tuple[UserAccount, NewSession]:
    """Check a (username, password) pair from `address` and open a session for its account.

    After a burst of failures from one address or for one username, TooManyAttempts is raised
    without looking at the password.
    """
    username, password = credentials
    throttle.check(address, username)
    user = authenticate(session, username, password)
    if user is None:
        throttle.failed(address, username)
        raise InvalidCredentials("wrong username or password")
    throttle.succeeded(username)
    return user, open_session(session, user, lifetime)


def close_session(session: Session, secret: str) -> None:
    """End the session with this cookie value (nothing happens if there is none)."""
    session.execute(delete(UserSession).where(UserSession.token_hash == hash_secret(secret)))
    session.commit()


def principal_for_session(session: Session, secret: str) -> Principal | None:
    """The account behind a session cookie that is still valid, or None."""
    row = session.execute(
        select(UserSession.user_id, UserAccount.username, UserAccount.role)
        .join(UserAccount, UserAccount.id == UserSession.user_id)
        .where(
            UserSession.token_hash == hash_secret(secret),
            UserSession.expires_at > datetime.now(UTC),
        )
    ).first()
    if row is None:
        return None
    return Principal(role=Role(row.role), name=row.username, user_id=row.user_id)
