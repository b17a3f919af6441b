"""Shared helpers for the agent tests: fixture mount tables and a fake statvfs."""

import os
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.mounts import read_raw_text

MOUNT_TABLES = Path(__file__).parent / "fixtures" / "mounts"
DOMAIN_TABLES = Path(__file__).parent / "fixtures" / "domains"


def mount_table(name: str) -> str:
    """Text of one corpus mount table, CRs intact."""
    return read_raw_text(MOUNT_TABLES / name)


def statvfs_result(
    *, frsize: int = 4096, blocks: int, bfree: int, bavail: int, files: int = 0, ffree: int = 0
) -> os.statvfs_result:
    """A statvfs answer as the kernel would give it."""
    return os.statvfs_result(
        (frsize, frsize, blocks, bfree, bavail, files, ffree, ffree, 0, 255, 0)
    )


class FakeStatvfs:
    """statvfs by path: a result, an exception to raise, or a gate that blocks until released."""

    def __init__(self, answers: Mapping[str, object], default: object = None) -> None:
        self.answers = dict(answers)
        self.default = default
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, path: str) -> os.statvfs_result:
        with self.lock:
            self.calls.append(path)
        answer = self.answers.get(path, self.default)
        if isinstance(answer, threading.Event):
            answer.wait()
            return statvfs_result(blocks=100, bfree=50, bavail=40)
        if isinstance(answer, BaseException):
            raise answer
        assert isinstance(answer, os.statvfs_result)
        return answer


@pytest.fixture
def release_gates() -> Iterator[Callable[[threading.Event], threading.Event]]:
    """Hand out gates for hung statvfs calls and release them all when the test ends."""
    gates: list[threading.Event] = []

    def make(gate: threading.Event) -> threading.Event:
        gates.append(gate)
        return gate

    yield make
    for gate in gates:
        gate.set()


@pytest.fixture
def agent_config(tmp_path: Path) -> AgentConfig:
    """A config that touches nothing outside tmp_path."""
    return AgentConfig(
        hub_url="http://127.0.0.1:9",
        api_key="test-key-0123456789abcdef",
        server_id="test-host",
        hostname="test-host",
        interval=1.0,
        spool_dir=tmp_path / "spool",
        statvfs_timeout=0.5,
        fstab=str(tmp_path / "fstab"),
    )
