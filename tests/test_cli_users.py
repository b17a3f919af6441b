"""Accounts from the shell: a real hub prints its setup link, `homelab-cmd users` manages admins."""

import os
import re
import subprocess
from pathlib import Path

import httpx

from tests.hub_process import HUB, running_hub

LOGIN = "/api/v1/auth/login"


def _users(data: Path, *args: str, password: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_CMD_")}
    return subprocess.run(
        [str(HUB), "users", *args, "--password-stdin"],
        env={**env, "HOMELAB_CMD_DATA_DIR": str(data)},
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_fresh_hub_prints_a_setup_link_and_the_cli_creates_and_resets_admins(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with running_hub(data) as (_, url):
        log = next(tmp_path.glob("hub-*.log")).read_text()
        assert re.search(r"open http://127\.0\.0\.1:\d+/setup#token=\S+ to choose one", log)

        created = _users(data, "create", "ops", password="first-password-1")
        taken = _users(data, "create", "ops", password="first-password-1")
        weak = _users(data, "create", "dev", password="short")
        with httpx.Client(base_url=url) as browser:
            first = {"username": "ops", "password": "first-password-1"}
            signed_in = browser.post(LOGIN, json=first)
            reset = _users(data, "reset-password", "ops", password="second-password-2")
            after_reset = browser.get("/api/v1/auth/me")
        relogin = httpx.post(
            f"{url}{LOGIN}", json={"username": "ops", "password": "second-password-2"}
        )

    assert created.returncode == 0, created.stderr
    assert (taken.returncode, weak.returncode) == (1, 1)
    assert "taken" in taken.stderr
    assert "at least 10 characters" in weak.stderr
    assert signed_in.status_code == 200
    assert reset.returncode == 0, reset.stderr
    assert after_reset.status_code == 401
    assert relogin.status_code == 200
    assert "first-password-1" not in log
