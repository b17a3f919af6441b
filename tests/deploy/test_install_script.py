"""Adding a host as a user does: the install command from the hub, run against a scratch root.

A real hub process builds and serves the agent wheel; install.sh makes a virtualenv, installs
the wheel with the pinned dependencies (from the package index, as on a real host), enrolls and
writes the unit. `--root` keeps it all inside a temporary folder and starts nothing; the agent
from that virtualenv then sends a heartbeat with the token enrollment gave it.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import yaml

from tests.hub_process import API_KEY, running_hub

ADMIN = {"Authorization": f"Bearer {API_KEY}"}


def test_the_install_command_installs_enrolls_and_the_agent_reports(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    root = tmp_path / "root"
    with running_hub(data) as (_, url):
        created = httpx.post(f"{url}/api/v1/enrollments", headers=ADMIN, timeout=30).json()
        command = created["install_command"].replace("| sudo sh", "| sh")
        installed = subprocess.run(
            ["sh", "-c", f"{command} --root {root} --python {sys.executable} --hostname-unused"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert installed.returncode != 0  # an unknown option is refused before anything
        assert "unknown option --hostname-unused" in installed.stderr
        installed = subprocess.run(
            ["sh", "-c", f"{command} --root {root} --python {sys.executable}"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr

        config_path = root / "etc" / "homelab-agent" / "config.yaml"
        config = yaml.safe_load(config_path.read_text())
        env = {k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_AGENT_")}
        beat = subprocess.run(
            [
                str(root / "opt" / "homelab-agent" / "bin" / "homelab-agent"),
                "--config",
                str(config_path),
                "--once",
            ],
            env={**env, "HOMELAB_AGENT_SPOOL_DIR": str(tmp_path / "spool")},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        server = httpx.get(f"{url}/api/v1/servers/{config['server_id']}", headers=ADMIN).json()
        reused = httpx.post(
            f"{url}/api/v1/agents/enroll", json={"code": created["code"], "hostname": "x"}
        )

    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert config["hub_url"] == url
    assert config["api_key"].startswith("hlc_")
    assert config["api_key"] != API_KEY
    assert config["server_guid"]
    unit = (root / "etc" / "systemd" / "system" / "homelab-agent.service").read_text()
    assert "ExecStart=/opt/homelab-agent/bin/homelab-agent --config" in unit
    assert (root / "opt" / "homelab-agent" / "bin" / "homelab-agent").is_file()
    # The comment above ExecStart tells the truth about a unit install.sh wrote.
    above = unit.split("\nExecStart=")[0].rsplit("\n", 2)[-2:]
    assert "install.sh's venv (/opt/homelab-agent/bin unless --prefix)" in " ".join(above)
    assert beat.returncode == 0, beat.stderr
    assert server["latest_metrics"] is not None
    assert server["display_name"] == server["hostname"]
    assert reused.status_code == 401
