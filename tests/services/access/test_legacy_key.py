"""The shared key of earlier versions, and the settings that guard the admin key."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import AuditEvent
from homelab_cmd.services.access import revocation
from homelab_cmd.services.access.legacy_key import (
    DISABLED_SUFFIX,
    KEY_FILE,
    read_legacy_key,
    reconcile_at_start,
    turn_off,
)
from homelab_cmd.services.access.revocation import SharedState


def test_a_fresh_data_folder_has_no_legacy_key_and_none_is_created(tmp_path: Path) -> None:
    assert read_legacy_key(tmp_path / "data") is None
    assert not (tmp_path / "data" / KEY_FILE).exists()


def test_the_key_an_earlier_version_stored_is_read(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("old-shared-key-0123456789\n", encoding="utf-8")

    assert read_legacy_key(tmp_path) == "old-shared-key-0123456789"


def test_an_empty_key_file_is_no_key(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("\n", encoding="utf-8")

    assert read_legacy_key(tmp_path) is None


def test_a_short_configured_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(api_key="changeme")


def test_retention_that_shrinks_from_tier_to_tier_is_refused() -> None:
    with pytest.raises(ValidationError, match="retention must not shrink"):
        Settings(raw_retention_days=30, hourly_retention_days=7)


def _state(engine: Engine) -> SharedState:
    with Session(engine) as session:
        revocation.ensure_row(session)
        session.commit()
        return revocation.read_state(session)


def _actions(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as session:
        return [(e.action, e.actor) for e in session.scalars(select(AuditEvent))]


def test_turning_the_key_off_holds_for_every_hub_and_is_audited_once(
    engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / KEY_FILE).write_text("old-shared-key-0123456789\n", encoding="utf-8")
    before = _state(engine)

    with Session(engine) as session:
        assert turn_off(session, tmp_path, "user alice", "192.0.2.7") is True
    with Session(engine) as session:
        assert turn_off(session, tmp_path, "user alice", "192.0.2.7") is False

    after = _state(engine)
    assert after.legacy_key_disabled is True
    assert after.generation == before.generation + 1
    assert read_legacy_key(tmp_path) is None
    assert (tmp_path / (KEY_FILE + DISABLED_SUFFIX)).exists()
    assert _actions(engine) == [("legacy_key.disabled", "user alice")]


def test_a_hub_starting_with_a_renamed_key_file_turns_the_key_off_for_all(
    engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / (KEY_FILE + DISABLED_SUFFIX)).write_text("old\n", encoding="utf-8")
    _state(engine)

    with Session(engine) as session:
        reconcile_at_start(session, tmp_path)

    assert _state(engine).legacy_key_disabled is True
    assert _actions(engine) == [("legacy_key.disabled", "hub")]


def test_a_key_turned_off_on_another_hub_has_this_folders_file_renamed_at_start(
    engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / KEY_FILE).write_text("old-shared-key-0123456789\n", encoding="utf-8")
    _state(engine)
    with Session(engine) as session:
        revocation.disable_legacy_key(session, datetime.now(UTC))
        session.commit()

    with Session(engine) as session:
        reconcile_at_start(session, tmp_path)

    assert read_legacy_key(tmp_path) is None
    assert _actions(engine) == []
