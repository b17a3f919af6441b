"""A hub that accepts connections and never answers costs delivery time, never a collection slot."""

import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from homelab_agent.agent import Agent
from homelab_agent.collectors import Collector
from homelab_agent.config import AgentConfig
from homelab_agent.delivery.spool import Spool
from homelab_agent.delivery.transport import HubClient, Outcome
from homelab_agent.payload import FilesystemSample

ROOT = FilesystemSample("/", "/dev/sda1", "ext4", 100, 40, 50, 44.44)
LIFETIME = 30.0  # the server stops by itself after this even if a test forgets to stop it


class SilentHub:
    """A TCP server on 127.0.0.1 that accepts every connection, reads nothing, answers nothing."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="silent hub", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        ends = time.monotonic() + LIFETIME
        while not self._stop.is_set() and time.monotonic() < ends:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(conn)
        self._listener.close()
        for conn in self.accepted:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@pytest.fixture
def silent_hub() -> Iterator[SilentHub]:
    hub = SilentHub()
    yield hub
    hub.stop()


class Counting:
    """A collector that notes when it ran and stops the loop after `cycles` runs."""

    def __init__(self, cycles: int, stop: threading.Event) -> None:
        self.cycles = cycles
        self.stop = stop
        self.times: list[float] = []

    def collect(self) -> object:
        self.times.append(time.monotonic())
        if len(self.times) >= self.cycles:
            self.stop.set()
        return [ROOT]


def test_send_against_a_silent_hub_returns_by_the_deadline(silent_hub: SilentHub) -> None:
    client = HubClient(
        f"http://127.0.0.1:{silent_hub.port}", "k" * 20, read_timeout=10.0, retries=2
    )
    started = time.monotonic()
    result = client.send(b"{}", deadline=started + 0.3)
    elapsed = time.monotonic() - started
    client.close()
    assert result.outcome is Outcome.RETRY_LATER
    assert elapsed < 5.0  # not read_timeout (10 s) times 3 attempts
    assert silent_hub.accepted


def test_past_deadline_makes_no_attempt(silent_hub: SilentHub) -> None:
    client = HubClient(f"http://127.0.0.1:{silent_hub.port}", "k" * 20, read_timeout=10.0)
    result = client.send(b"{}", deadline=time.monotonic() - 1)
    client.close()
    assert result.outcome is Outcome.RETRY_LATER
    assert not silent_hub.accepted


def test_every_slot_is_collected_while_the_hub_never_answers(
    agent_config: AgentConfig,
    tmp_path: Path,
    silent_hub: SilentHub,
    caplog: pytest.LogCaptureFixture,
) -> None:
    cycles = 4
    config = replace(
        agent_config,
        hub_url=f"http://127.0.0.1:{silent_hub.port}",
        interval=0.5,
        read_timeout=10.0,  # one unanswered send would take 10 s, 30 s with the retries
        retries=2,
        spool_dir=tmp_path / "silent",
    )
    stop = threading.Event()
    counting = Counting(cycles, stop)
    collectors: dict[str, Collector] = {"filesystems": counting}
    client = HubClient(
        config.hub_url,
        config.api_key,
        connect_timeout=config.connect_timeout,
        read_timeout=config.read_timeout,
        retries=config.retries,
    )
    agent = Agent(config, collectors=collectors, client=client, spool=Spool(config.spool_dir))
    caplog.set_level(logging.WARNING, logger="homelab_agent.agent")

    started = time.monotonic()
    agent.run_forever(stop)
    elapsed = time.monotonic() - started

    assert silent_hub.accepted  # delivery was attempted and hung
    assert len(counting.times) == cycles
    # Every slot on time: collection k starts at k·interval, never a slot late.
    for k, at in enumerate(counting.times):
        assert at - started < k * config.interval + 0.25, (k, at - started)
    assert not [r for r in caplog.records if "overran" in r.message]
    # Nothing was lost: every heartbeat waits in the spool for the hub.
    assert len(agent.spool.pending()) == cycles
    # The loop ended promptly too: it did not wait out a 10 s read.
    assert elapsed < (cycles - 1) * config.interval + config.interval + 1.5
