"""Accounts from the shell: a real hub prints its setup link, `homelab-cmd users` manages admins."""

import os
import re
import subprocess
from pathlib import Path

import httpx

from tests.hub_process import API_KEY, HUB, running_hub

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
            wrong = {"username": "ops", "password": "a-wrong-guess"}
            guesses = [httpx.post(f"{url}{LOGIN}", json=wrong).status_code for _ in range(6)]
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
    # The reset clears the running hub's lockout of the account.
    assert guesses == [401] * 5 + [429]
    assert relogin.status_code == 200
    assert "first-password-1" not in log


def test_the_cli_creates_a_read_only_person_and_the_audit_log_names_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with running_hub(data) as (_, url):
        created = _users(data, "create", "viewer", "--role", "read", password="viewer-password-1")
        listed = subprocess.run(
            [str(HUB), "users", "list"],
            env={**os.environ, "HOMELAB_CMD_DATA_DIR": str(data)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        viewer = httpx.post(
            f"{url}{LOGIN}", json={"username": "viewer", "password": "viewer-password-1"}
        )
        events = httpx.get(f"{url}/api/v1/audit", headers={"X-API-Key": API_KEY}).json()

    assert created.returncode == 0, created.stderr
    assert "created the read account 'viewer'" in created.stdout
    assert "viewer\tread" in listed.stdout
    assert viewer.json()["role"] == "read"
    made = next(e for e in events["data"] if e["action"] == "user.created")
    assert (made["actor"], made["source"], made["target"]) == ("cli", None, "viewer")
