"""API tokens: created once with a random secret, stored as a hash, revocable."""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import ApiToken, Server
from homelab_cmd.domain.access import Principal, Role
from homelab_cmd.errors import TokenNotFound
from homelab_cmd.services import audit
from homelab_cmd.services.access import revocation

# A recognisable prefix lets secret scanners (and people) tell a hub token from other strings.
TOKEN_PREFIX = "hlc_"  # noqa: S105  (a prefix, not a secret)


def new_secret() -> str:
    """A fresh token secret: 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    name: str,
    role: Role,
    server_id: str | None = None,
    *,
    actor: str | None = None,
    source: str | None = None,
) -> tuple[ApiToken, str]:
    """Store a new token and return it with its secret, which is never shown again.

    With `actor`, the creation is recorded in the audit log in the same commit.
    """
    secret = new_secret()
    now = datetime.now(UTC)
    token = ApiToken(
        name=name,
        role=role.value,
        token_hash=hash_secret(secret),
        server_id=server_id,
        created_at=now,
    )
    session.add(token)
    if actor is not None:
        audit.record(
            session, "token.created", actor, now, source=source, target=name, detail=role.value
        )
    session.commit()
    return token, secret


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token that is still valid, oldest first."""
    query = select(ApiToken).where(ApiToken.revoked_at.is_(None)).order_by(ApiToken.id)
    return list(session.scalars(query))


MAX_TOKEN_ID = 2**31 - 1


def revoke_token(
    session: Session,
    token_id: int,
    forget: Callable[[int], None],
    *,
    actor: str = "hub",
    source: str | None = None,
) -> ApiToken:
    """Mark the token revoked and `forget` it in caches; requests carrying it are refused, on
    this hub at once and on the others within one revocation poll (revocation.py)."""
    # An id past the integer column names no token; PostgreSQL would refuse to even look.
    if not 1 <= token_id <= MAX_TOKEN_ID:
        raise TokenNotFound(token_id)
    token = session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        raise TokenNotFound(token_id)
    now = datetime.now(UTC)
    token.revoked_at = now
    revocation.bump(session)
    audit.record(
        session,
        "token.revoked",
        actor,
        now,
        source=source,
        target=token.name,
        detail=f"id {token.id}, {token.role}",
    )
    session.commit()
    forget(token_id)
    return token


def principal_for_hash(session: Session, digest: str) -> Principal | None:
    """The identity of a valid token with this hash, or None."""
    row = session.execute(
        select(ApiToken, Server.guid)
        .outerjoin(Server, Server.id == ApiToken.server_id)
        .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    ).one_or_none()
    # The index lookup already matched; comparing again in constant time costs nothing and keeps
    # the check independent of how the database compares strings.
    if row is None or not hmac.compare_digest(row[0].token_hash, digest):
        return None
    token, guid = row
    return Principal(
        role=Role(token.role),
        name=token.name,
        token_id=token.id,
        server_id=token.server_id,
        server_guid=guid,
    )
