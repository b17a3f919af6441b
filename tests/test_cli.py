"""`homelab-cmd` as a new user runs it: a fresh data folder, a generated key, a working hub."""

import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from homelab_cmd.cli import main


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_first_start_prints_the_generated_key_and_serves_with_it(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_CMD_")},
        "HOMELAB_CMD_DATA_DIR": str(tmp_path / "data"),
        "HOMELAB_CMD_PORT": str(port),
    }
    hub = subprocess.Popen(
        [sys.executable, "-m", "homelab_cmd"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90  # a busy CI machine starts Python slowly
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/api/v1/system/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        key_file = tmp_path / "data" / "api_key"
        key = key_file.read_text().strip()

        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert (tmp_path / "data" / "homelab.db").exists()
        assert httpx.get(f"{url}/api/v1/servers", headers={"X-API-Key": key}).status_code == 200
        assert httpx.get(f"{url}/api/v1/servers").status_code == 401
    finally:
        hub.terminate()
        _, stderr = hub.communicate(timeout=30)
    assert key in stderr


def test_openapi_command_prints_the_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["openapi"]) == 0

    document = json.loads(capsys.readouterr().out)
    assert document["info"]["title"] == "HomelabCmd"
    assert "/api/v1/agents/heartbeat" in document["paths"]
