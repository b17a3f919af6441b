"""Revocation on every hub: one shared generation that each revocation moves, polled by each hub.

A hub caches verified tokens (credentials.py) so that a heartbeat costs no database read. Every
change that ends a credential (a token revoked, an agent token rotated or replaced by enrolling,
a server deleted, the legacy key turned off) increments
`credential_state.generation` in the transaction that makes the change. Each hub reads that one
row every `HOMELAB_CMD_REVOCATION_POLL_SECONDS` in a thread of its own and, when the generation
moved, empties its cache: a revocation made on one hub holds on all of them within one poll
interval plus the one request that may already be past the check.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from homelab_cmd.db.credential_generation import bump_generation
from homelab_cmd.db.models import CredentialState
from homelab_cmd.db.models.credential_state import STATE_ID
from homelab_cmd.db.tables import table_of
from homelab_cmd.db.upsert import insert_ignore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SharedState:
    """What every hub on the database agrees on about credentials."""

    generation: int
    legacy_key_disabled: bool


def ensure_row(session: Session) -> None:
    """Put the shared row back if it is missing (the migration inserts it; an emptied table
    would otherwise leave every revocation unseen by the other hubs). Caller commits."""
    session.execute(
        insert_ignore(table_of(CredentialState), session.get_bind().dialect),
        {"id": STATE_ID, "generation": 0, "legacy_key_disabled_at": None},
    )


def bump(session: Session) -> None:
    """Move the generation, in the caller's transaction: every hub forgets what it verified."""
    bump_generation(session)


def read_state(session: Session) -> SharedState:
    """The shared row: one primary-key read."""
    row = session.execute(
        select(CredentialState.generation, CredentialState.legacy_key_disabled_at).where(
            CredentialState.id == STATE_ID
        )
    ).one()
    return SharedState(generation=row.generation, legacy_key_disabled=row[1] is not None)


def disable_legacy_key(session: Session, now: datetime) -> bool:
    """Turn the legacy key off for every hub (and move the generation), in the caller's
    transaction. Returns whether it was still on."""
    changed = session.execute(
        update(CredentialState)
        .where(CredentialState.id == STATE_ID, CredentialState.legacy_key_disabled_at.is_(None))
        .values(legacy_key_disabled_at=now, generation=CredentialState.generation + 1)
        .returning(CredentialState.id)
    ).first()
    return changed is not None


class RevocationPoller:
    """A daemon thread that reads the shared row every `interval` seconds and hands it on.

    `apply` receives each reading; it decides what a moved generation means (credentials.py
    empties its cache). A failed read is logged once until reads succeed again, and the hub
    keeps serving: the database being down already refuses every uncached credential.
    """

    def __init__(
        self,
        session_factory: Callable[[], Session],
        apply: Callable[[SharedState], None],
        interval: float,
    ) -> None:
        self._session_factory = session_factory
        self._apply = apply
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False

    def poll(self) -> None:
        """Read the row once and apply it (also called at start, before the hub serves)."""
        try:
            with self._session_factory() as session:
                state = read_state(session)
        except Exception:  # any database error: log it and keep polling
            if not self._failing:
                log.warning("cannot read credential_state; retrying", exc_info=True)
            self._failing = True
            return
        self._failing = False
        self._apply(state)

    def start(self) -> None:
        """Poll in the background until `stop`."""
        self._thread = threading.Thread(target=self._run, name="revocation-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the thread (within one interval)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.poll()
