"""A wrong answer never costs a heartbeat: against a fake hub that redirects, answers 404, 405,
a proxy's 400, a 100 MiB reply or one byte a second, every heartbeat stays in the spool; a real
hub then gets all of them, once."""

import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from homelab_agent.agent import Agent
from homelab_agent.collectors import Collector
from homelab_agent.config import AgentConfig
from homelab_agent.delivery.spool import Spool
from homelab_agent.delivery.transport import HubClient, Outcome
from homelab_agent.payload import FilesystemSample
from tests.hub_process import API_KEY, HUB, running_hub

MIB = 1024 * 1024
MODES = ("308", "404", "405", "400-html", "200-html", "100mib", "one-byte-a-second")


class FakeHub(BaseHTTPRequestHandler):
    """Answers every heartbeat the way `server.mode` says."""

    server: "FakeServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args: object) -> None:
        return

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.requests += 1
        mode = self.server.mode
        if mode == "308":
            self._answer(
                308, b"", [("Location", "https://elsewhere.example/api/v1/agents/heartbeat")]
            )
        elif mode in ("404", "405"):
            self._answer(int(mode), b'{"error": "NotFound", "detail": "redeploy"}')
        elif mode == "400-html":
            self._answer(400, b"<html><body>400 Bad Request (nginx)</body></html>")
        elif mode == "200-html":
            self._answer(200, b"<html>Sign in to the guest network</html>")
        elif mode == "100mib":
            self._stream(200, 100 * MIB, 64 * 1024, pause=0.0)
        else:
            self._stream(200, 60, 1, pause=1.0)

    def _answer(self, status: int, body: bytes, headers: list[tuple[str, str]] = []) -> None:  # noqa: B006
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, status: int, size: int, chunk: int, pause: float) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        sent = 0
        try:
            while sent < size and not self.server.stopping:
                self.wfile.write(b" " * chunk)
                self.wfile.flush()
                sent += chunk
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            return  # the agent stopped reading, as it should


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    mode = "404"
    requests = 0
    stopping = False


@pytest.fixture
def fake_hub() -> Iterator[FakeServer]:
    server = FakeServer(("127.0.0.1", 0), FakeHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stopping = True
    server.shutdown()
    server.server_close()


class OneDisk:
    def collect(self) -> object:
        return [FilesystemSample("/", "/dev/sda1", "ext4", 1000, 400, 500, 44.44)]


def _agent(config: AgentConfig, url: str) -> Agent:
    client = HubClient(url, API_KEY, connect_timeout=1.0, read_timeout=1.5, retries=0)
    collectors: dict[str, Collector] = {"filesystems": OneDisk()}
    return Agent(replace(config, hub_url=url), collectors=collectors, client=client,
                 spool=Spool(config.spool_dir))  # fmt: skip


@pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed")
def test_wrong_answers_keep_every_heartbeat_and_a_real_hub_gets_each_once(
    tmp_path: Path, agent_config: AgentConfig, fake_hub: FakeServer
) -> None:
    config = replace(agent_config, server_id="hostile", spool_dir=tmp_path / "spool")
    agent = _agent(config, f"http://127.0.0.1:{fake_hub.server_address[1]}")
    start = datetime.now(UTC) - timedelta(hours=1)
    spooled = 0
    for mode in MODES:
        fake_hub.mode = mode
        for _ in range(2):
            agent.collect_and_spool(now=start + timedelta(minutes=spooled))
            spooled += 1
        began = time.monotonic()
        flushed = agent.spool.flush(agent.client.send, deadline=time.monotonic() + 5)
        print(mode, f"{time.monotonic() - began:.2f} s")
        assert flushed.last_outcome is Outcome.RETRY_LATER, mode
        assert (flushed.delivered, flushed.dropped, flushed.remaining) == (0, 0, spooled), mode
        assert time.monotonic() - began < 8, mode  # the reply read is bounded by its deadline
    assert len(agent.spool.pending()) == spooled == 2 * len(MODES)
    agent.client.close()

    data = tmp_path / "hub-data"
    with running_hub(data) as (_, url):
        real = _agent(config, url)
        report = real.deliver()
        again = real.deliver()
        real.client.close()
    assert (report.delivered, report.dropped, report.remaining) == (spooled, 0, 0)
    assert again.delivered == 0
    with sqlite3.connect(data / "homelab.db") as db:
        (stored,) = db.execute(
            "SELECT count(*) FROM server_metric WHERE server_id = 'hostile'"
        ).fetchone()
    assert stored == spooled
