"""The hub's API key: generated once, kept private, compared in constant time."""

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from homelab_cmd.config import Settings
from homelab_cmd.services.api_key import KEY_FILE, key_matches, load_or_create_key


def test_first_start_generates_a_private_key_and_later_starts_reuse_it(tmp_path: Path) -> None:
    key, created = load_or_create_key(tmp_path / "data")
    again, created_again = load_or_create_key(tmp_path / "data")

    path = tmp_path / "data" / KEY_FILE
    assert created is True
    assert created_again is False
    assert again == key
    assert len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_two_installs_get_different_keys(tmp_path: Path) -> None:
    assert load_or_create_key(tmp_path / "a")[0] != load_or_create_key(tmp_path / "b")[0]


@pytest.mark.parametrize(
    ("given", "expected"),
    [("right-key-0123456789", True), ("wrong-key-0123456789", False), ("", False), (None, False)],
)
def test_key_matches_only_the_exact_key(given: str | None, expected: bool) -> None:
    assert key_matches("right-key-0123456789", given) is expected


def test_a_short_configured_key_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(api_key="changeme")


def test_retention_that_shrinks_from_tier_to_tier_is_refused() -> None:
    with pytest.raises(ValidationError, match="retention must not shrink"):
        Settings(raw_retention_days=30, hourly_retention_days=7)
