"""A hub outage loses nothing: heartbeats spool while the real hub is down, replay once it is up."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from homelab_agent.agent import Agent
from homelab_agent.collectors import Collector
from homelab_agent.config import AgentConfig
from homelab_agent.delivery.spool import Spool
from homelab_agent.delivery.transport import HubClient
from homelab_agent.payload import FilesystemSample

HUB = Path(sys.executable).parent / "homelab-cmd"
API_KEY = "outage-test-key-0123456789"
HEARTBEATS = 5


class OneDisk:
    def collect(self) -> object:
        return [FilesystemSample("/", "/dev/sda1", "ext4", 1000, 400, 500, 44.44)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


STARTUP_SECONDS = 120


def _start_hub(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "HOMELAB_CMD_DATA_DIR": str(data_dir),
        "HOMELAB_CMD_PORT": str(port),
        "HOMELAB_CMD_API_KEY": API_KEY,
        "HOMELAB_CMD_WRITER_DEADLINE_SECONDS": "120",
    }
    hub = subprocess.Popen([str(HUB)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # A readiness wait, not a speed check: a loaded CI machine may take a minute to start a hub.
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if hub.poll() is not None:
            err = hub.stderr.read().decode() if hub.stderr else ""
            pytest.fail(f"hub exited with {hub.returncode}: {err[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/system/health", timeout=1).is_success:
                return hub
        except httpx.HTTPError:
            time.sleep(0.1)
    hub.kill()
    pytest.fail(f"hub did not become healthy within {STARTUP_SECONDS} s")


@pytest.fixture
def hub_port() -> int:
    return _free_port()


@pytest.fixture
def hub_processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for hub in started:
        hub.terminate()
        try:
            hub.wait(timeout=10)
        except subprocess.TimeoutExpired:
            hub.kill()


def _stored_metric_rows(data_dir: Path, server_id: str) -> int:
    with sqlite3.connect(data_dir / "homelab.db") as db:
        (count,) = db.execute(
            "SELECT count(*) FROM server_metric WHERE server_id = ?", (server_id,)
        ).fetchone()
    return int(count)


@pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed in this environment")
def test_heartbeats_spooled_during_an_outage_are_all_stored_once_when_the_hub_returns(
    tmp_path: Path,
    agent_config: AgentConfig,
    hub_port: int,
    hub_processes: list[subprocess.Popen[bytes]],
) -> None:
    config = replace(
        agent_config,
        hub_url=f"http://127.0.0.1:{hub_port}",
        api_key=API_KEY,
        server_id="outage-host",
        spool_dir=tmp_path / "spool",
    )
    collectors: dict[str, Collector] = {"filesystems": OneDisk()}
    client = HubClient(
        config.hub_url, config.api_key, connect_timeout=1, read_timeout=10, retries=0
    )
    agent = Agent(config, collectors=collectors, client=client, spool=Spool(config.spool_dir))

    # Hub down: every cycle is collected and kept.
    start = datetime.now(UTC) - timedelta(minutes=HEARTBEATS + 1)
    for minute in range(HEARTBEATS):
        agent.collect_and_spool(now=start + timedelta(minutes=minute))
        report = agent.deliver()
        assert report.delivered == 0
        assert report.remaining == minute + 1
    spooled = agent.spool.pending()
    assert len(spooled) == HEARTBEATS
    first_body = spooled[0].read_bytes()

    # Hub up: the spool drains, oldest first, and every heartbeat is stored.
    data_dir = tmp_path / "hub-data"
    data_dir.mkdir()
    hub_processes.append(_start_hub(data_dir, hub_port))
    report = agent.deliver()
    assert (report.delivered, report.dropped, report.remaining) == (HEARTBEATS, 0, 0)
    assert agent.spool.pending() == []
    assert _stored_metric_rows(data_dir, "outage-host") == HEARTBEATS

    # A replay of an already delivered heartbeat (its answer was lost) is stored once.
    agent.spool.put(first_body)
    assert agent.deliver().delivered == 1
    assert _stored_metric_rows(data_dir, "outage-host") == HEARTBEATS
    client.close()
