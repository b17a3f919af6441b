"""The shared revocation row: moved by each revocation, read by every hub's poller."""

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker

from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.models import CredentialState
from homelab_cmd.services.access import revocation
from homelab_cmd.services.access.revocation import RevocationPoller, SharedState


@pytest.fixture
def shared(engine: Engine) -> Engine:
    """The engine with the shared row in place (the test database is emptied between tests)."""
    with Session(engine) as session:
        revocation.ensure_row(session)
        session.commit()
    return engine


def _state(engine: Engine) -> SharedState:
    with Session(engine) as session:
        return revocation.read_state(session)


def test_a_bump_moves_the_generation_when_its_transaction_commits(shared: Engine) -> None:
    before = _state(shared).generation

    with Session(shared) as session:
        revocation.bump(session)
        session.rollback()
    assert _state(shared).generation == before

    with Session(shared) as session:
        revocation.bump(session)
        revocation.bump(session)
        session.commit()
    assert _state(shared).generation == before + 2


def test_the_legacy_key_is_turned_off_once_for_every_hub(shared: Engine) -> None:
    before = _state(shared)
    assert before.legacy_key_disabled is False

    with Session(shared) as session:
        assert revocation.disable_legacy_key(session, datetime.now(UTC)) is True
        session.commit()
    with Session(shared) as session:
        assert revocation.disable_legacy_key(session, datetime.now(UTC)) is False
        session.commit()

    after = _state(shared)
    assert after.legacy_key_disabled is True
    assert after.generation == before.generation + 1


def test_a_missing_shared_row_is_put_back(engine: Engine) -> None:
    with Session(engine) as session:
        session.execute(delete(CredentialState))
        revocation.ensure_row(session)
        revocation.ensure_row(session)
        session.commit()

    assert _state(engine) == SharedState(generation=0, legacy_key_disabled=False)


def test_the_poller_hands_on_each_reading(shared: Engine) -> None:
    seen: list[SharedState] = []
    poller = RevocationPoller(sessionmaker(shared), seen.append, interval=60)

    poller.poll()
    with Session(shared) as session:
        revocation.bump(session)
        session.commit()
    poller.poll()

    assert [s.generation for s in seen] == [seen[0].generation, seen[0].generation + 1]


def test_a_poller_that_cannot_read_logs_once_and_keeps_trying(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A database file in a folder that does not exist: every read fails, as when the database
    # server is down.
    broken = make_engine(f"sqlite:///{tmp_path / 'missing' / 'hub.db'}")
    seen: list[SharedState] = []
    poller = RevocationPoller(sessionmaker(broken), seen.append, interval=60)

    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            poller.poll()

    assert seen == []
    assert len([r for r in caplog.records if "credential_state" in r.getMessage()]) == 1
    broken.dispose()


def test_the_poller_thread_stops_promptly(shared: Engine) -> None:
    seen: list[SharedState] = []
    polled = threading.Event()

    def apply(state: SharedState) -> None:
        seen.append(state)
        polled.set()

    poller = RevocationPoller(sessionmaker(shared), apply, interval=0.01)

    poller.start()
    assert polled.wait(30)
    poller.stop()
    count = len(seen)

    assert seen[0].generation == _state(shared).generation
    assert not poller._thread or not poller._thread.is_alive()
    assert len(seen) == count
