"""People's accounts (admin or read-only) and their browser sessions.

Every change is recorded in the audit log (services/audit.py) with who did it and from where:
sign-ins (success and failure, with the username tried), sign-outs, accounts created, deleted,
re-roled and given a new password.
"""

import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AuditEvent, UserAccount, UserSession
from homelab_cmd.domain.access import Principal, Role
from homelab_cmd.domain.passwords import password_problem, username_problem
from homelab_cmd.errors import (
    AccountNotFound,
    InvalidAccount,
    InvalidCredentials,
    LastAdmin,
    PasswordChecksBusy,
    UsernameTaken,
    UserNotFound,
)
from homelab_cmd.services import audit
from homelab_cmd.services.access.hashing import PasswordGate, hash_password, needs_rehash
from homelab_cmd.services.access.login_throttle import LoginThrottle
from homelab_cmd.services.access.tokens import hash_secret

# The roles a person's account may have; agents are never people.
PERSON_ROLES = (Role.ADMIN, Role.READ)
# The audit log's action for a successful sign-in: its source is where the user signed in from.
SIGNED_IN = "auth.sign_in"


@dataclass(frozen=True, slots=True)
class NewSession:
    """A session just opened: the cookie value (never stored) and when it stops working."""

    secret: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Actor:
    """Who makes a change and from where, as the audit log names them."""

    name: str
    source: str | None = None


# The command line (`homelab-cmd users ...`) and the hub itself (first admin from settings).
CLI = Actor("cli")
HUB = Actor("hub")


def _check(username: str, password: str) -> None:
    problem = username_problem(username) or password_problem(password)
    if problem:
        raise InvalidAccount(problem)


def _role(role: Role | str) -> Role:
    if role not in PERSON_ROLES:
        raise InvalidAccount(f"a person's role is one of {', '.join(PERSON_ROLES)}, not {role!r}")
    return Role(role)


def _hash(password: str, passwords: PasswordGate | None) -> str:
    return passwords.hash(password) if passwords else hash_password(password)


def user_count(session: Session) -> int:
    """How many accounts exist."""
    return int(session.scalar(select(func.count()).select_from(UserAccount)) or 0)


def create_user(
    session: Session,
    username: str,
    password: str,
    role: Role | str = Role.ADMIN,
    *,
    actor: Actor = HUB,
    passwords: PasswordGate | None = None,
) -> UserAccount:
    """A new account (admin unless said otherwise); UsernameTaken if the name is in use."""
    _check(username, password)
    role = _role(role)
    now = datetime.now(UTC)
    user = UserAccount(
        username=username,
        password_hash=_hash(password, passwords),
        role=role.value,
        created_at=now,
        password_changed_at=now,
    )
    session.add(user)
    audit.record(
        session,
        "user.created",
        actor.name,
        now,
        source=actor.source,
        target=username,
        detail=f"role {role}",
    )
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


def get_user(session: Session, user_id: int) -> UserAccount:
    """The account with this id; AccountNotFound if there is none."""
    user = session.get(UserAccount, user_id)
    if user is None:
        raise AccountNotFound(user_id)
    return user


def _end_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def _set_password(
    session: Session, user: UserAccount, password: str, actor: Actor, passwords: PasswordGate | None
) -> None:
    _check(user.username, password)
    now = datetime.now(UTC)
    user.password_hash = _hash(password, passwords)
    # The login throttle forgets this user's failures from before this instant (login_throttle).
    user.password_changed_at = now
    _end_sessions(session, user.id)
    audit.record(
        session, "user.password_reset", actor.name, now, source=actor.source, target=user.username
    )


def reset_password(
    session: Session,
    username: str,
    password: str,
    *,
    actor: Actor = CLI,
    passwords: PasswordGate | None = None,
) -> UserAccount:
    """Set a new password, end every session of the account and clear its sign-in lockout."""
    user = find_user(session, username)
    if user is None:
        raise UserNotFound(username)
    _set_password(session, user, password, actor, passwords)
    session.commit()
    return user


def _keep_an_admin(session: Session, user: UserAccount) -> None:
    """LastAdmin if `user` is the only admin left; the admins' rows stay locked until commit,
    so two admins removing each other at once cannot leave none (PostgreSQL; SQLite has one
    writer anyway)."""
    if user.role != Role.ADMIN:
        return
    admins = session.scalars(
        select(UserAccount.id).where(UserAccount.role == Role.ADMIN.value).with_for_update()
    ).all()
    if set(admins) <= {user.id}:
        session.rollback()
        raise LastAdmin(f"{user.username!r} is the last admin; make another admin first")


def update_user(
    session: Session,
    user_id: int,
    *,
    role: Role | str | None = None,
    password: str | None = None,
    actor: Actor,
    passwords: PasswordGate | None = None,
) -> UserAccount:
    """Change an account's role and/or password. A new role or password ends its sessions;
    the last admin is never demoted (LastAdmin)."""
    user = get_user(session, user_id)
    if role is not None and (new_role := _role(role)) != user.role:
        _keep_an_admin(session, user)
        previous, user.role = user.role, new_role.value
        _end_sessions(session, user.id)
        audit.record(
            session,
            "user.role_changed",
            actor.name,
            datetime.now(UTC),
            source=actor.source,
            target=user.username,
            detail=f"{previous} -> {new_role}",
        )
    if password is not None:
        _set_password(session, user, password, actor, passwords)
    session.commit()
    return user


def delete_user(session: Session, user_id: int, *, actor: Actor) -> None:
    """Delete an account and its sessions; the last admin is never deleted (LastAdmin)."""
    user = get_user(session, user_id)
    _keep_an_admin(session, user)
    _end_sessions(session, user.id)
    session.delete(user)
    audit.record(
        session,
        "user.deleted",
        actor.name,
        datetime.now(UTC),
        source=actor.source,
        target=user.username,
    )
    session.commit()


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


def sign_in_addresses(session: Session, username: str, limit: int) -> list[str]:
    """The last `limit` distinct addresses `username` signed in from, newest first, as the
    audit log recorded them (every hub's sign-ins, kept across restarts)."""
    newest = func.max(AuditEvent.id)
    return list(
        session.scalars(
            select(AuditEvent.source)
            .where(
                AuditEvent.action == SIGNED_IN,
                AuditEvent.target == username,
                AuditEvent.source.is_not(None),
            )
            .group_by(AuditEvent.source)
            .order_by(newest.desc())
            .limit(limit)
        )
    )


def sign_in(
    session: Session,
    limits: tuple[LoginThrottle, PasswordGate],
    address: str,
    credentials: tuple[str, str],
    lifetime: timedelta,
) -> tuple[UserAccount, NewSession]:
    """Check a (username, password) pair from `address` and open a session for its account.

    The throttle's slot is reserved before the password is looked at (TooManyAttempts when
    none is left); when only the username-wide count refuses, the account's last sign-in
    addresses are read from the audit log, so the owner at their usual address gets in after
    a restart too. The check itself waits for the gate (PasswordChecksBusy when it is full).
    """
    throttle, passwords = limits
    username, password = credentials
    user = find_user(session, username)
    changed_at = user.password_changed_at.timestamp() if user else None
    known = throttle.limits.known_addresses
    attempt = throttle.reserve(
        address,
        username,
        changed_at,
        (lambda: sign_in_addresses(session, username, known)) if user else None,
    )
    user_id, stored_hash = (user.id, user.password_hash) if user else (None, None)
    # The read above must not hold a transaction (on SQLite, a snapshot) while it waits.
    session.rollback()
    try:
        matches = passwords.verify(stored_hash, password)
    except PasswordChecksBusy:
        attempt.release()
        raise
    now = datetime.now(UTC)
    if user_id is None or not matches:
        audit.record(
            session, "auth.sign_in_failed", "anonymous", now, source=address, target=username
        )
        session.commit()
        raise InvalidCredentials("wrong username or password")
    attempt.succeeded()
    user = session.get(UserAccount, user_id)
    if user is None:  # deleted while its password was being checked
        raise InvalidCredentials("wrong username or password")
    if needs_rehash(user.password_hash):
        # When the gate is full the old hash still works; the next sign-in upgrades it.
        with suppress(PasswordChecksBusy):
            user.password_hash = passwords.hash(password)
    audit.record(session, SIGNED_IN, f"user {username}", now, source=address, target=username)
    return user, open_session(session, user, lifetime)


def close_session(session: Session, secret: str, source: str | None = None) -> None:
    """End the session with this cookie value (nothing happens if there is none)."""
    username = session.scalar(
        select(UserAccount.username)
        .join(UserSession, UserSession.user_id == UserAccount.id)
        .where(UserSession.token_hash == hash_secret(secret))
    )
    if username is None:
        return
    session.execute(delete(UserSession).where(UserSession.token_hash == hash_secret(secret)))
    audit.record(
        session,
        "auth.sign_out",
        f"user {username}",
        datetime.now(UTC),
        source=source,
        target=username,
    )
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
