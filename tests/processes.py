"""Real processes for end-to-end tests: a hub, a Prometheus server, each on a free loopback port."""

import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(
    ready: Callable[[], bool], what: str, proc: subprocess.Popen[bytes], log: Path
) -> None:
    """Poll `ready` for up to 60 s; fail with the process's log if it exits or never gets there."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}: {log.read_text()[-3000:]}")
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} not ready within 60 s: {log.read_text()[-3000:]}")


@contextmanager
def running(
    command: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a process with its output in `log`; terminate it (then kill) on the way out."""
    # The hub's settings come from the caller alone, never from the shell running the tests.
    base = {k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_CMD_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, env={**base, **(env or {})}, stdout=out, stderr=out, cwd=cwd
        )
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def running_hub(
    hub: Path, data_dir: Path, api_key: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`hub serve` with its own data folder on a free port; yields its base URL once healthy."""
    port = free_port()
    hub_env = {
        "HOMELAB_CMD_DATA_DIR": str(data_dir),
        "HOMELAB_CMD_PORT": str(port),
        "HOMELAB_CMD_API_KEY": api_key,
        "HOMELAB_CMD_MAINTENANCE_INTERVAL_SECONDS": "0",
        **(env or {}),
    }
    url = f"http://127.0.0.1:{port}"
    log = data_dir.parent / f"{data_dir.name}-hub.log"
    with running([str(hub), "serve"], log, hub_env, cwd=data_dir.parent) as proc:
        wait_until(
            lambda: httpx.get(f"{url}/api/v1/system/health", timeout=2).is_success,
            "hub",
            proc,
            log,
        )
        yield url
