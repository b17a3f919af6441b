"""Tokens are stored hashed, checked against the database once, then served from a cache."""

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from homelab_cmd.db.models import ApiToken, Server
from homelab_cmd.domain.access import Role
from homelab_cmd.services.access import revocation
from homelab_cmd.services.access.credentials import ADMIN_KEY, LEGACY_KEY, CredentialVerifier
from homelab_cmd.services.access.revocation import SharedState
from homelab_cmd.services.access.tokens import TOKEN_PREFIX, hash_secret, revoke_token
from tests.factories import make_server, make_token

ADMIN = "admin-key-0123456789abcdef"
LEGACY = "legacy-key-0123456789abcdef"


def _verifier(engine: Engine, cache_size: int = 16) -> CredentialVerifier:
    return CredentialVerifier(sessionmaker(engine), ADMIN, LEGACY, cache_size=cache_size)


def _verify(verifier: CredentialVerifier, secret: str) -> object:
    digest, principal = verifier.cached(secret)
    return principal if principal is not None else verifier.lookup(digest)


def test_only_the_hash_of_a_token_is_stored(engine: Engine) -> None:
    token_id, secret = make_token(engine, Role.READ)

    with Session(engine) as session:
        row = session.get(ApiToken, token_id)
    assert row is not None
    assert secret.startswith(TOKEN_PREFIX)
    assert len(secret) > 40
    assert row.token_hash == hash_secret(secret)
    assert secret not in (row.token_hash, row.name)


def test_a_token_resolves_to_its_role_and_server(engine: Engine) -> None:
    make_server(engine, "alpha")
    token_id, secret = make_token(engine, Role.AGENT, server_id="alpha")

    principal = _verify(_verifier(engine), secret)

    assert principal is not None
    assert (principal.role, principal.server_id, principal.token_id) == (  # type: ignore[attr-defined]
        Role.AGENT,
        "alpha",
        token_id,
    )


def test_the_admin_key_and_the_legacy_key_have_their_own_identities(engine: Engine) -> None:
    verifier = _verifier(engine)

    assert verifier.cached(ADMIN)[1] is ADMIN_KEY
    assert verifier.cached(LEGACY)[1] is LEGACY_KEY
    assert LEGACY_KEY.role is Role.AGENT
    assert LEGACY_KEY.server_id is None


def test_a_verified_token_is_served_from_the_cache_until_revoked(engine: Engine) -> None:
    token_id, secret = make_token(engine, Role.READ)
    verifier = _verifier(engine)

    assert verifier.cached(secret)[1] is None
    assert _verify(verifier, secret) is not None
    assert verifier.cached(secret)[1] is not None

    with Session(engine) as session:
        revoke_token(session, token_id, verifier.forget_token)

    assert verifier.cached(secret)[1] is None
    assert _verify(verifier, secret) is None


def test_unknown_secrets_are_never_cached(engine: Engine) -> None:
    verifier = _verifier(engine)

    for n in range(50):
        assert _verify(verifier, f"{TOKEN_PREFIX}unknown-{n}") is None

    assert len(verifier._cache) == 0


def test_the_cache_keeps_the_most_recently_used_tokens_within_its_bound(engine: Engine) -> None:
    secrets = [make_token(engine, Role.READ, name=f"t{n}")[1] for n in range(6)]
    verifier = _verifier(engine, cache_size=4)

    for secret in secrets:
        _verify(verifier, secret)

    assert len(verifier._cache) == 4
    assert verifier.cached(secrets[0])[1] is None
    assert verifier.cached(secrets[-1])[1] is not None
    # Evicted is not refused: the next request reads the database again.
    assert _verify(verifier, secrets[0]) is not None


def test_the_cache_holds_hashes_never_raw_secrets(engine: Engine) -> None:
    _, secret = make_token(engine, Role.ADMIN)
    verifier = _verifier(engine)
    _verify(verifier, secret)

    assert list(verifier._cache) == [hash_secret(secret)]


def test_deleting_a_server_deletes_and_forgets_its_token(engine: Engine) -> None:
    make_server(engine, "alpha")
    _, secret = make_token(engine, Role.AGENT, server_id="alpha")
    verifier = _verifier(engine)
    _verify(verifier, secret)

    with Session(engine) as session:
        session.execute(delete(Server).where(Server.id == "alpha"))
        session.commit()
        verifier.forget_server("alpha")
        assert session.scalars(select(ApiToken)).all() == []

    assert _verify(verifier, secret) is None


def _shared_state(engine: Engine) -> SharedState:
    with Session(engine) as session:
        revocation.ensure_row(session)
        session.commit()
        return revocation.read_state(session)


def test_a_revocation_made_by_another_hub_empties_the_cache_when_the_generation_moves(
    engine: Engine,
) -> None:
    token_id, secret = make_token(engine, Role.ADMIN)
    here = _verifier(engine)
    here.apply_shared_state(_shared_state(engine))
    assert _verify(here, secret) is not None

    # Another hub on the same database: its own cache, the same rows.
    with Session(engine) as session:
        revoke_token(session, token_id, _verifier(engine).forget_token)
    assert here.cached(secret)[1] is not None  # until this hub polls

    here.apply_shared_state(_shared_state(engine))

    assert here.cached(secret)[1] is None
    assert _verify(here, secret) is None


def test_a_lookup_that_began_before_a_revocation_is_not_remembered(engine: Engine) -> None:
    _, secret = make_token(engine, Role.READ)
    factory = sessionmaker(engine)
    moved = SharedState(generation=10**9, legacy_key_disabled=False)

    def opened() -> Session:
        # The poller sees a revocation while this lookup reads the database.
        verifier.apply_shared_state(moved)
        return factory()

    verifier = CredentialVerifier(opened, ADMIN, LEGACY)
    verifier.apply_shared_state(_shared_state(engine))

    assert _verify(verifier, secret) is not None
    assert verifier.cached(secret)[1] is None


def test_the_legacy_key_turned_off_on_another_hub_is_refused_here(engine: Engine) -> None:
    verifier = _verifier(engine)
    assert verifier.cached(LEGACY)[1] is LEGACY_KEY

    verifier.apply_shared_state(SharedState(generation=0, legacy_key_disabled=True))

    assert verifier.cached(LEGACY)[1] is None
    assert verifier.legacy_key_enabled is False


def test_the_legacy_key_may_report_only_for_servers_that_never_enrolled(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    make_server(engine, "old-nas")
    make_server(engine, "nas")
    with Session(engine) as session:
        session.execute(
            update(Server).where(Server.id == "nas").values(enrolled_at=datetime.now(UTC))
        )
        session.commit()
    verifier = _verifier(engine)
    verifier.apply_shared_state(_shared_state(engine))

    with caplog.at_level(logging.WARNING):
        answers = [verifier.legacy_may_report(s) for s in ("old-nas", "nas", "new-host", "nas")]

    assert answers == [True, False, True, False]
    assert verifier.legacy_may_report_cached("nas") is False
    assert len([r for r in caplog.records if "'nas'" in r.getMessage()]) == 1
    # Enrolling moves the generation: every hub asks the database again.
    verifier.apply_shared_state(SharedState(generation=10**9, legacy_key_disabled=False))
    assert verifier.legacy_may_report_cached("old-nas") is None
