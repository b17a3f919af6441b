"""One version, in the repository's VERSION file, everywhere the product shows one."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

from fastapi.testclient import TestClient

import homelab_agent
import homelab_cmd

ROOT = Path(__file__).resolve().parent.parent
VERSION = (ROOT / "VERSION").read_text().strip()
BIN = Path(sys.executable).parent


def test_packages_take_their_version_from_the_one_file() -> None:
    assert (ROOT / "backend" / "VERSION").resolve() == (ROOT / "VERSION")
    assert (ROOT / "agent" / "VERSION").resolve() == (ROOT / "VERSION")
    for folder in ("backend", "agent"):
        config = tomllib.loads((ROOT / folder / "pyproject.toml").read_text())
        assert "version" not in config["project"]
        assert config["project"]["dynamic"] == ["version"]
        assert config["tool"]["setuptools"]["dynamic"]["version"] == {"file": "VERSION"}
    # The UI is not published: it shows the hub's version and has none of its own.
    assert "version" not in json.loads((ROOT / "frontend" / "package.json").read_text())


def test_commands_and_api_show_that_version(client: TestClient) -> None:
    hub = subprocess.run(
        [BIN / "homelab-cmd", "--version"], capture_output=True, text=True, check=False
    )
    agent = subprocess.run(
        [BIN / "homelab-agent", "--version"], capture_output=True, text=True, check=False
    )

    assert homelab_cmd.__version__ == homelab_agent.__version__ == VERSION
    assert hub.stdout.strip() == f"homelab-cmd {VERSION}"
    assert agent.stdout.strip() == f"homelab-agent {VERSION}"
    assert client.get("/api/v1/system/health").json()["version"] == VERSION
    assert client.get("/api/openapi.json").json()["info"]["version"] == VERSION
