"""`homelab-cmd` as a user runs it: a real hub process, its keys, its commands."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from homelab_cmd.cli import main
from tests.factories import heartbeat_payload


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_upgraded_hub_takes_the_admin_key_and_keeps_the_old_key_for_heartbeats(
    tmp_path: Path,
) -> None:
    port = _free_port()
    data = tmp_path / "data"
    data.mkdir()
    (data / "api_key").write_text("old-shared-key-0123456789\n", encoding="utf-8")
    admin = {"Authorization": "Bearer admin-key-0123456789abcdef"}
    old = {"X-API-Key": "old-shared-key-0123456789"}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_CMD_")},
        "HOMELAB_CMD_DATA_DIR": str(data),
        "HOMELAB_CMD_PORT": str(port),
        "HOMELAB_CMD_API_KEY": "admin-key-0123456789abcdef",
    }
    hub = subprocess.Popen(
        [sys.executable, "-m", "homelab_cmd"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/api/v1/system/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        beat = httpx.post(f"{url}/api/v1/agents/heartbeat", json=heartbeat_payload(), headers=old)

        assert (data / "homelab.db").exists()
        assert httpx.get(f"{url}/api/v1/servers", headers=admin).status_code == 200
        assert httpx.get(f"{url}/api/v1/servers").status_code == 401
        assert beat.status_code == 200
        assert httpx.get(f"{url}/api/v1/servers", headers=old).status_code == 403
    finally:
        hub.terminate()
        _, stderr = hub.communicate(timeout=30)
    assert "accepted for heartbeats only" in stderr
    assert "old-shared-key" not in stderr


def test_openapi_command_prints_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi"]) == 0

    document = json.loads(capsys.readouterr().out)
    assert document["info"]["title"] == "HomelabCmd"
    assert "/api/v1/agents/heartbeat" in document["paths"]
