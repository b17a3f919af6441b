"""The config file holds the hub's key: a warning when other users may read it."""

import logging
from pathlib import Path

import pytest

from homelab_agent.permissions import warn_if_secret_is_exposed


@pytest.mark.parametrize(("mode", "warned"), [(0o644, True), (0o640, True), (0o600, False)])
def test_a_config_holding_the_key_warns_when_others_may_read_it(
    tmp_path: Path, mode: int, warned: bool, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("hub_url: http://hub:8080\napi_key: abcdefghijklmnop0123\n")
    config.chmod(mode)

    with caplog.at_level(logging.WARNING):
        assert warn_if_secret_is_exposed(config) is warned

    assert ("chmod 600" in caplog.text) is warned


def test_a_readable_config_without_a_key_is_fine(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("hub_url: http://hub:8080\n")
    config.chmod(0o644)

    assert warn_if_secret_is_exposed(config) is False
