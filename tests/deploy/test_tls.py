"""A hub with a self-signed certificate, added to as a user would: the install command (curl
with the key pinned), enrollment that pins the certificate, a heartbeat over https; and the
same agent refusing a hub with another certificate before its token leaves the host."""

import os
import subprocess
import sys
from pathlib import Path

import httpx
import yaml

from homelab_cmd.services.enrollment.tls import certificate_pins
from tests.hub_process import API_KEY, running_hub

ADMIN = {"Authorization": f"Bearer {API_KEY}"}
TLS = {"HOMELAB_CMD_TLS": "self-signed"}


def _agent(binary: Path, config: Path, spool: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_AGENT_")}
    return subprocess.run(
        [str(binary), "--config", str(config), "--once"],
        env={**env, "HOMELAB_AGENT_SPOOL_DIR": str(spool), "HOMELAB_AGENT_RETRIES": "0"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_enrollment_over_https_pins_the_certificate_and_refuses_another(tmp_path: Path) -> None:
    first_data, other_data = tmp_path / "hub", tmp_path / "impostor"
    first_data.mkdir()
    other_data.mkdir()
    root = tmp_path / "root"
    config = root / "etc" / "homelab-agent" / "config.yaml"
    agent = root / "opt" / "homelab-agent" / "bin" / "homelab-agent"
    with running_hub(first_data, TLS) as (_, url):
        assert url.startswith("https://")
        pins = certificate_pins(first_data / "tls" / "cert.pem")
        created = httpx.post(f"{url}/api/v1/enrollments", headers=ADMIN, verify=False).json()
        command = created["install_command"]
        assert f"--pinnedpubkey sha256//{pins.curl_pin}" in command
        assert f"--fingerprint {pins.fingerprint}" in created["enroll_command"]
        installed = subprocess.run(
            [
                "sh",
                "-c",
                f"{command.replace('| sudo sh', '| sh')} --root {root} --python {sys.executable}",
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        written = yaml.safe_load(config.read_text())
        delivered = _agent(agent, config, tmp_path / "spool")
        server = httpx.get(
            f"{url}/api/v1/servers/{written['server_id']}", headers=ADMIN, verify=False
        ).json()

    assert written["tls_fingerprint"] == pins.fingerprint
    assert "BEGIN CERTIFICATE" in written["tls_pinned_cert"]
    assert delivered.returncode == 0, delivered.stderr
    assert server["latest_metrics"] is not None

    # Another hub (another certificate) at the address the agent knows: refused, nothing sent.
    with running_hub(other_data, TLS) as (_, impostor):
        config.write_text(yaml.safe_dump({**written, "hub_url": impostor}))
        refused = _agent(agent, config, tmp_path / "spool-2")
        beats = httpx.get(f"{impostor}/api/v1/servers", headers=ADMIN, verify=False).json()
        code = httpx.post(f"{impostor}/api/v1/enrollments", headers=ADMIN, verify=False).json()
        wrong_pin = subprocess.run(
            [
                *(str(agent), "enroll", impostor, code["code"]),
                *("--config", str(tmp_path / "x.yaml"), "--fingerprint", pins.fingerprint),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert refused.returncode == 1
    assert "CERTIFICATE_VERIFY_FAILED" in refused.stderr
    assert beats["count"] == 0
    assert wrong_pin.returncode == 1
    assert f"not the expected {pins.fingerprint}" in wrong_pin.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_the_session_cookie_is_secure_over_https(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    env = {
        **TLS,
        "HOMELAB_CMD_ADMIN_USERNAME": "ops",
        "HOMELAB_CMD_ADMIN_PASSWORD": "a-long-password",
    }
    with running_hub(data, env) as (_, url):
        login = httpx.post(
            f"{url}/api/v1/auth/login",
            json={"username": "ops", "password": "a-long-password"},
            verify=False,
        )
    assert login.status_code == 200
    assert "Secure" in login.headers["set-cookie"]
    # Served over the hub's own TLS, so browsers are told to stay on https (no preload).
    assert login.headers["strict-transport-security"] == "max-age=31536000"
