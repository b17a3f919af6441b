"""Enrollment codes: a plain code makes a new server, only a rotation code takes one over, and
each enrollment moves the revocation generation and is audited in its own transaction."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AuditEvent, Enrollment, Server
from homelab_cmd.errors import EnrollmentConflict
from homelab_cmd.services.access import revocation
from homelab_cmd.services.access.tokens import hash_secret, principal_for_hash
from homelab_cmd.services.enrollment import codes
from tests.factories import make_server

MAX_SERVERS = 100


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        revocation.ensure_row(session)
        session.commit()
        yield session


def _enroll(session: Session, code: str, hostname: str, guid: str | None = None) -> codes.Enrolled:
    return codes.enroll(
        session, code, hostname, guid, MAX_SERVERS, forget=lambda _: None, source="192.0.2.9"
    )


def _generation(session: Session) -> int:
    return revocation.read_state(session).generation


def _events(session: Session) -> list[tuple[str, str | None, str | None]]:
    return [(e.action, e.target, e.source) for e in session.scalars(select(AuditEvent))]


def test_a_first_enrollment_marks_the_server_enrolled_and_is_audited(session: Session) -> None:
    before = _generation(session)

    done = _enroll(session, codes.create_code(session).code, "nas", "guid-nas")

    server = session.get(Server, done.server_id)
    assert server is not None
    assert server.enrolled_at is not None
    assert _generation(session) == before + 1
    assert _events(session) == [("server.enrolled", "nas", "192.0.2.9")]


def test_a_plain_code_with_a_known_guid_is_refused_and_stays_unused(session: Session) -> None:
    first = _enroll(session, codes.create_code(session).code, "nas", "guid-nas")
    spare = codes.create_code(session).code
    before = _generation(session)

    with pytest.raises(EnrollmentConflict, match="already enrolled"):
        _enroll(session, spare, "evil", "guid-nas")

    used = session.scalar(
        select(Enrollment.used_at).where(Enrollment.code_hash == hash_secret(spare))
    )
    assert used is None
    assert principal_for_hash(session, hash_secret(first.token)) is not None
    assert _generation(session) == before
    assert [e[0] for e in _events(session)] == ["server.enrolled"]


def test_a_server_that_reported_on_the_legacy_key_enrolls_with_its_rotation_code(
    engine: Engine, session: Session
) -> None:
    make_server(engine, "old-nas")
    server = session.get(Server, "old-nas")
    assert server is not None and server.enrolled_at is None
    before = _generation(session)

    code = codes.rotate(
        session, server, forget=lambda _: None, actor="user alice", source="192.0.2.1"
    )
    done = _enroll(session, code.code, "old-nas")

    session.expire_all()
    assert done.server_id == "old-nas"
    assert session.get(Server, "old-nas").enrolled_at is not None  # type: ignore[union-attr]
    assert _generation(session) == before + 2
    assert _events(session) == [
        ("token.rotated", "old-nas", "192.0.2.1"),
        ("server.enrolled", "old-nas", "192.0.2.9"),
    ]


def test_a_rotation_code_takes_an_enrolled_server_over(session: Session) -> None:
    first = _enroll(session, codes.create_code(session).code, "nas", "guid-nas")
    server = session.get(Server, "nas")
    assert server is not None
    code = codes.rotate(session, server, forget=lambda _: None)

    again = _enroll(session, code.code, "nas-reinstalled", "guid-nas")

    assert again.server_id == "nas"
    assert principal_for_hash(session, hash_secret(first.token)) is None
    assert [e[0] for e in _events(session)] == [
        "server.enrolled",
        "token.rotated",
        "server.reenrolled",
    ]
