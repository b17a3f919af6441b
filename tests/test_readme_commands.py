"""The README's "Try it" commands, run as written against a real hub."""

import json
import os
import re
import subprocess
from pathlib import Path

import httpx

from tests.hub_process import running_hub

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _block(marker: str) -> str:
    found = re.search(rf"<!-- readme: {marker} -->\n```sh\n(.*?)```", README, re.DOTALL)
    assert found, f"README has no block marked {marker!r}"
    return found.group(1)


def _json_objects(text: str) -> list[dict[str, object]]:
    decoder, found, at = json.JSONDecoder(), [], 0
    while (at := text.find("{", at)) != -1:
        value, end = decoder.raw_decode(text, at)
        found.append(value)
        at = end
    return found


def test_make_run_prints_the_username_and_password_the_readme_speaks_of() -> None:
    banner = (ROOT / "scripts" / "run.sh").read_text()

    assert "Username:" in banner and "Password:" in banner
    assert "make-run-admin.txt" in banner
    assert "the admin's username and password" in README
    assert "admin key" not in README.split("## Test it")[0]


def test_the_two_commands_give_a_read_token_that_works(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # What `make run` leaves: the first admin and its password kept in the data folder.
    password = "readme-password-0123"
    (data / "make-run-admin.txt").write_text(f"admin\n{password}\n")
    admin = {"HOMELAB_CMD_ADMIN_USERNAME": "admin", "HOMELAB_CMD_ADMIN_PASSWORD": password}
    with running_hub(data, admin) as (_, url):
        script = _block("api token").replace("http://127.0.0.1:8080", url)
        ran = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        *_, created = _json_objects(ran.stdout)
        token = {"Authorization": f"Bearer {created['token']}"}
        read = httpx.get(f"{url}/api/v1/servers", headers=token)
        change = httpx.post(f"{url}/api/v1/enrollments", headers=token)

    assert ran.returncode == 0, ran.stderr
    assert created["role"] == "read" and created["name"] == "my-script"
    assert read.status_code == 200
    assert change.status_code == 403
