"""A real hub refuses to start with a known default admin key, and takes the old agents' key as
the legacy agent key instead (docs/upgrading.md)."""

import logging
import os
import subprocess
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from homelab_cmd.config import Settings, known_default_key
from homelab_cmd.main import create_app
from tests.factories import heartbeat_payload
from tests.hub_process import HUB, running_hub


def _clean_env(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_CMD_")}
    return {**env, "HOMELAB_CMD_DATA_DIR": str(data), "HOMELAB_CMD_PORT": "1", **extra}


@pytest.mark.parametrize(
    "key", ["dev-key-change-me", "changeme", "password", "", "your-secure-api-key"]
)
def test_the_hub_refuses_to_start_with_a_known_default_key_and_says_what_to_do(
    tmp_path: Path, key: str
) -> None:
    data = tmp_path / "data"

    started = subprocess.run(
        [str(HUB), "serve"],
        env=_clean_env(data, HOMELAB_CMD_API_KEY=key),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert started.returncode == 2, started.stderr
    assert "the hub does not start" in started.stderr
    assert "HOMELAB_CMD_API_KEY" in started.stderr
    assert "HOMELAB_CMD_LEGACY_AGENT_KEY" in started.stderr
    assert "API token" in started.stderr
    assert "Traceback" not in started.stderr
    assert "input_value" not in started.stderr
    assert not data.exists()  # refused before anything was made


@pytest.mark.parametrize(
    "key",
    [
        "your-secure-api-key",  # the placeholders of HomelabCmd 1.x's docs
        "your-secure-key-here",
        "YOUR_API_KEY_GOES_HERE_0123",
        "please-change-this-key-2024",
        "replace-me-with-a-random-value",
        "placeholder-0123456789abcdef",
        "my-example-key-0123456789",
        "dev-key-change-me-please-now",
    ],
)
def test_placeholder_keys_are_refused_by_their_pattern(key: str) -> None:
    assert known_default_key(key) is not None


@pytest.mark.parametrize(
    "key", ["3f9c2a7e81b04d5c9e6a1f7b2c8d4e0a", "hlc_Zq8v1YxN0b7KpLw3TfRs", "joyous-hub-key-4821"]
)
def test_random_keys_are_not_taken_for_placeholders(key: str) -> None:
    assert known_default_key(key) is None


def test_the_original_default_key_reports_heartbeats_only_as_the_legacy_agent_key(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    old_agent = {"X-API-Key": "dev-key-change-me"}

    with running_hub(data, {"HOMELAB_CMD_LEGACY_AGENT_KEY": "dev-key-change-me"}) as (_, url):
        beat = httpx.post(
            f"{url}/api/v1/agents/heartbeat", json=heartbeat_payload(), headers=old_agent
        )
        read = httpx.get(f"{url}/api/v1/servers", headers=old_agent)
        status = httpx.get(
            f"{url}/api/v1/legacy-key",
            headers={"Authorization": "Bearer real-hub-test-key-0123456789"},
        )

    assert beat.status_code == 200, beat.text
    assert read.status_code == 403
    assert status.status_code == 200, status.text
    assert status.json()["enabled"] is True
    log = next(tmp_path.glob("hub-*.log")).read_text()
    assert "from HOMELAB_CMD_LEGACY_AGENT_KEY is accepted for heartbeats only" in log
    assert "dev-key-change-me" not in log


@pytest.mark.parametrize(
    ("key", "warned"), [("dev-key-change-me", True), ("3f9c2a7e81b04d5c9e6a1f7b2c8d4e0a", False)]
)
def test_a_known_default_legacy_key_is_warned_of_at_start(
    settings: Settings, caplog: pytest.LogCaptureFixture, key: str, warned: bool
) -> None:
    hub = create_app(settings.model_copy(update={"legacy_agent_key": SecretStr(key)}))

    with caplog.at_level(logging.WARNING, logger="homelab_cmd.main"), TestClient(hub):
        pass

    warnings = [r.getMessage() for r in caplog.records if "anyone who knows it" in r.getMessage()]
    assert len(warnings) == int(warned)
    if warned:
        assert "HOMELAB_CMD_LEGACY_AGENT_KEY" in warnings[0]
        assert "is a known default or guessable key" in warnings[0]
        assert key not in warnings[0]
        assert "Enroll each host" in warnings[0]
