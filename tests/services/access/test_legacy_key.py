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
    LegacyKey,
    configured_legacy_key,
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
        Settings(api_key="0123456789abc")


@pytest.mark.parametrize(
    "key",
    ["dev-key-change-me", "changeme", "change-me", "CHANGE_ME", "secret", "admin", "password",
     "please-change-me-0123456789", "Dev_Key_Change_Me"],
)  # fmt: skip
def test_a_known_default_admin_key_is_refused_with_what_to_do_instead(key: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(api_key=key)

    text = str(refused.value)
    assert "HOMELAB_CMD_LEGACY_AGENT_KEY" in text
    assert "API token" in text


@pytest.mark.parametrize("key", ["", "   ", "short", "a" * 40, "0000000000000000"])
def test_an_empty_short_or_repetitive_admin_key_is_refused(key: str) -> None:
    with pytest.raises(ValidationError, match="HOMELAB_CMD_API_KEY"):
        Settings(api_key=key)


def test_a_random_admin_key_is_taken() -> None:
    key = "9f2c4e0b7a1d5c3e8f6a2b4d0c9e7f1a"

    assert Settings(api_key=key).api_key is not None


def test_the_original_default_is_taken_as_the_legacy_agent_key() -> None:
    settings = Settings(legacy_agent_key="dev-key-change-me")

    assert settings.legacy_agent_key is not None
    assert settings.legacy_agent_key.get_secret_value() == "dev-key-change-me"


def test_the_legacy_key_may_not_also_be_the_admin_key() -> None:
    key = "9f2c4e0b7a1d5c3e8f6a2b4d0c9e7f1a"
    with pytest.raises(ValidationError, match="every old agent would be an admin"):
        Settings(api_key=key, legacy_agent_key=key)


def test_the_variable_is_the_legacy_key_when_no_key_file_exists(tmp_path: Path) -> None:
    legacy = configured_legacy_key(tmp_path, "dev-key-change-me")

    assert legacy == LegacyKey("dev-key-change-me", "HOMELAB_CMD_LEGACY_AGENT_KEY")


def test_the_key_file_is_the_legacy_key_without_the_variable(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("old-shared-key-0123456789\n", encoding="utf-8")

    assert configured_legacy_key(tmp_path, None) == LegacyKey(
        "old-shared-key-0123456789", str(tmp_path / KEY_FILE)
    )
    assert configured_legacy_key(tmp_path / "empty", None) is None


def test_the_variable_wins_over_a_key_file_holding_another_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / KEY_FILE).write_text("old-shared-key-0123456789\n", encoding="utf-8")

    legacy = configured_legacy_key(tmp_path, "dev-key-change-me")

    assert legacy is not None and legacy.key == "dev-key-change-me"
    assert "only the variable's is accepted" in caplog.text
    assert "old-shared-key" not in caplog.text


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
