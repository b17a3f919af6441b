"""The shared key of earlier versions, and the settings that guard the admin key."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from homelab_cmd.config import Settings
from homelab_cmd.services.access.legacy_key import KEY_FILE, read_legacy_key


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
