"""Enrollment: an admin makes a single-use code, a host trades it for its own agent token."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from homelab_cmd.db.models import ApiToken, Enrollment, Server
from homelab_cmd.domain.access import Role
from homelab_cmd.domain.servers import server_id_for
from homelab_cmd.errors import EnrollmentConflict, EnrollmentRefused, ServerLimitReached
from homelab_cmd.services import audit
from homelab_cmd.services.access import revocation
from homelab_cmd.services.access.tokens import create_token, hash_secret

CODE_PREFIX = "hle_"
CODE_LIFETIME = timedelta(hours=1)
# Another host may take the same server id (or GUID) between our read and our insert.
ENROLL_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class NewCode:
    """A code just made: shown once, with when it stops working."""

    code: str
    expires_at: datetime
    server_id: str | None


@dataclass(frozen=True, slots=True)
class Enrolled:
    """What a host receives for its code: the server it is, and its token (shown once)."""

    server_id: str
    display_name: str
    token: str
    # Tokens the server held before (a re-enrollment): the caller drops them from caches.
    revoked_token_ids: list[int]


def create_code(
    session: Session, lifetime: timedelta = CODE_LIFETIME, server_id: str | None = None
) -> NewCode:
    """A fresh code (128 random bits); with `server_id`, enrolling with it keeps that server."""
    code = CODE_PREFIX + secrets.token_urlsafe(16)
    now = datetime.now(UTC)
    session.add(
        Enrollment(
            code_hash=hash_secret(code),
            created_at=now,
            expires_at=now + lifetime,
            server_id=server_id,
        )
    )
    session.commit()
    return NewCode(code=code, expires_at=now + lifetime, server_id=server_id)


def _claim(session: Session, code: str, now: datetime) -> Enrollment:
    # One UPDATE decides: of two hosts racing with the same code, exactly one sees a row changed.
    claimed = session.execute(
        update(Enrollment)
        .where(
            Enrollment.code_hash == hash_secret(code),
            Enrollment.used_at.is_(None),
            Enrollment.expires_at > now,
        )
        .values(used_at=now)
        .returning(Enrollment.id)
    ).first()
    if claimed is None:
        session.rollback()
        raise EnrollmentRefused(
            "this enrollment code is unknown, already used or expired; "
            "make a new one with 'Add server' in the web UI"
        )
    enrollment = session.get(Enrollment, claimed.id)
    assert enrollment is not None
    return enrollment


def _refuse_another_servers_guid(session: Session, bound: Server, guid: str | None) -> None:
    # A GUID is one server's for good (it is unique): a host that is already another server
    # cannot take this one's code, or two servers would share its identity.
    if guid is None or guid == bound.guid:
        return
    other = session.scalars(select(Server.id).where(Server.guid == guid)).first()
    if other is not None:
        session.rollback()
        raise EnrollmentConflict(
            f"this host is already server {other!r} (its server_guid) and the code is for "
            f"{bound.id!r}: run the command made for {other!r}, or delete that server first"
        )


def _server_for(
    session: Session, enrollment: Enrollment, hostname: str, guid: str | None, max_servers: int
) -> Server:
    if enrollment.server_id is not None:
        bound = session.get(Server, enrollment.server_id)
        if bound is not None:
            _refuse_another_servers_guid(session, bound, guid)
            return bound
    if guid is not None:
        known = session.scalars(select(Server.id).where(Server.guid == guid)).first()
        if known is not None:
            # A plain code never takes over a server: anyone who learnt a GUID could otherwise
            # silence the real host. Rolling back leaves the code unused.
            session.rollback()
            raise EnrollmentConflict(
                f"this server is already enrolled (as {known!r}); make a rotation code on its "
                "page ('Rotate token…') and enroll with that"
            )
    count = session.scalar(select(func.count()).select_from(Server)) or 0
    if count >= max_servers:
        session.rollback()
        raise ServerLimitReached(
            f"the hub holds {count} servers, its limit (HOMELAB_CMD_MAX_SERVERS); "
            "delete one before enrolling another"
        )
    # Every id server_id_for may give this hostname starts with its bare slug.
    slug = server_id_for(hostname, set())
    taken = set(session.scalars(select(Server.id).where(Server.id.startswith(slug))).all())
    server = Server(
        id=server_id_for(hostname, taken),
        hostname=hostname,
        display_name=hostname,
        guid=guid,
        created_at=datetime.now(UTC),
    )
    session.add(server)
    session.flush()  # the row exists before anything refers to it
    return server


def enroll(
    session: Session,
    code: str,
    hostname: str,
    guid: str | None,
    max_servers: int,
    *,
    forget: Callable[[int], None],
    source: str | None = None,
) -> Enrolled:
    """Use up `code`: the host's server (new, or the one a rotation code names) and a fresh
    agent token for it. Earlier tokens of that server stop working (on every hub: the
    revocation generation moves), and are `forget`-ed in caches here. A plain code presented
    with the GUID of an enrolled server is refused (409) and stays unused."""
    for attempt in range(ENROLL_ATTEMPTS):
        try:
            done = _enroll_once(
                session,
                code,
                hostname=hostname,
                guid=guid,
                max_servers=max_servers,
                source=source,
            )
            break
        except IntegrityError:
            # Another host took the same id (or GUID) between our read and our insert: the
            # whole enrollment rolled back, the code unused; try again with fresh ids.
            session.rollback()
            if attempt == ENROLL_ATTEMPTS - 1:
                raise
    for token_id in done.revoked_token_ids:
        forget(token_id)
    return done


def _enroll_once(
    session: Session,
    code: str,
    *,
    hostname: str,
    guid: str | None,
    max_servers: int,
    source: str | None,
) -> Enrolled:
    now = datetime.now(UTC)
    enrollment = _claim(session, code, now)
    rotation = enrollment.server_id is not None
    server = _server_for(session, enrollment, hostname, guid, max_servers)
    server.hostname = hostname
    if guid is not None:
        server.guid = guid
    first = server.enrolled_at is None
    if first:
        # From now on only its agent token reports for it, never the legacy key.
        server.enrolled_at = now
    enrollment.server_id = server.id
    session.flush()
    revoked = _revoke_agent_tokens(session, server.id, now)
    # Earlier tokens, and the legacy key's right to report for it, end on every hub.
    revocation.bump(session)
    audit.record(
        session,
        "server.reenrolled" if rotation and not first else "server.enrolled",
        f"enrollment code {enrollment.id}",
        now,
        source=source,
        target=server.id,
        detail=f"{'with a rotation code, ' if rotation else ''}hostname {hostname!r}",
    )
    server_id, display_name = server.id, server.display_name or hostname
    # create_token commits: the claimed code, the server and the token land together or not.
    _, token = create_token(session, f"agent {server_id}", Role.AGENT, server_id)
    return Enrolled(server_id, display_name, token, revoked)


def _revoke_agent_tokens(session: Session, server_id: str, now: datetime) -> list[int]:
    rows = session.execute(
        update(ApiToken)
        .where(ApiToken.server_id == server_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(ApiToken.id)
    ).all()
    return [r.id for r in rows]


def rotate(
    session: Session,
    server: Server,
    *,
    forget: Callable[[int], None],
    actor: str = "hub",
    source: str | None = None,
    lifetime: timedelta = CODE_LIFETIME,
) -> NewCode:
    """Revoke the server's agent tokens now (on every hub: the revocation generation moves;
    `forget` drops them here at once), and make a code that enrolls the host as this server
    again."""
    now = datetime.now(UTC)
    revoked = _revoke_agent_tokens(session, server.id, now)
    revocation.bump(session)
    audit.record(
        session,
        "token.rotated",
        actor,
        now,
        source=source,
        target=server.id,
        detail=f"{len(revoked)} agent token(s) revoked; a rotation code was made",
    )
    session.commit()
    for token_id in revoked:
        forget(token_id)
    return create_code(session, lifetime, server.id)
