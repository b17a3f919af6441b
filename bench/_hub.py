"""Start and stop a real hub process for benchmarks."""

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / ".venv" / "bin" / "homelab-cmd"
CEILING = Path(__file__).with_name("_ceiling.py")
# The process serving each running hub's (or ceiling's) URL, for bench/_cpu.py.
_PIDS: dict[str, int] = {}


def hub_pid(url: str) -> int:
    """The pid of the process serving `url` (started by running_hub or running_ceiling)."""
    return _PIDS[url]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_hub(
    data_dir: Path, extra_env: dict[str, str] | None = None, key: str | None = None
) -> Iterator[tuple[str, str]]:
    """A hub on a free port with its own data folder; yields (base URL, API key).

    The admin key is `key`, or a new one.
    """
    port = free_port()
    # A fixed prefix: a key starting with "-" would read as an option on the load command line.
    key = key or "bench-" + secrets.token_urlsafe(24)
    env = {
        **os.environ,
        "HOMELAB_CMD_DATA_DIR": str(data_dir),
        "HOMELAB_CMD_PORT": str(port),
        "HOMELAB_CMD_API_KEY": key,
        "HOMELAB_CMD_MAINTENANCE_INTERVAL_SECONDS": "0",
        # The load generators send far more per simulated server than an agent would: lift the
        # per-host rate budgets unless a benchmark (bench/hostile.py) measures them.
        "HOMELAB_CMD_MAX_HEARTBEATS_PER_MINUTE": "1000000",
        "HOMELAB_CMD_MAX_REPLAY_HEARTBEATS_PER_MINUTE": "1000000",
        "HOMELAB_CMD_REPLAY_SPACING_SECONDS": "0",
        # bench/ingest.py enrolls its 200 servers from one address within seconds.
        "HOMELAB_CMD_ENROLL_ATTEMPTS_PER_MINUTE": "1000000",
        **(extra_env or {}),
    }
    proc = subprocess.Popen([str(HUB), "serve"], env=env, stderr=subprocess.PIPE, text=True)
    with _serving(proc, port) as url:
        yield url, key


@contextmanager
def running_hubs(
    count: int, data_dir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[list[str], str]]:
    """`count` hub processes on one database, as one deployment; yields (base URLs, API key).

    The database is `extra_env`'s HOMELAB_CMD_DATABASE_URL (a shared one: PostgreSQL). Each hub
    has its own data folder under `data_dir` and the same admin key. They start one after
    another, each once the one before answers its health check, so the first has migrated the
    database before the next starts (concurrent starts are safe too: the migration lock).
    """
    key = "bench-" + secrets.token_urlsafe(24)
    with ExitStack() as stack:
        urls = []
        for n in range(count):
            folder = data_dir / f"hub-{n + 1}"
            folder.mkdir()
            urls.append(stack.enter_context(running_hub(folder, extra_env, key))[0])
        yield urls, key


@contextmanager
def running_ceiling() -> Iterator[str]:
    """The do-nothing endpoint of bench/_ceiling.py on a free port; yields its base URL."""
    port = free_port()
    cmd = [sys.executable, str(CEILING), str(port)]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    with _serving(proc, port) as url:
        yield url


def _drain(stream: IO[str], tail: deque[str]) -> None:
    for line in stream:
        tail.append(line)


@contextmanager
def _serving(proc: subprocess.Popen[str], port: int) -> Iterator[str]:
    url = f"http://127.0.0.1:{port}"
    _PIDS[url] = proc.pid
    # Read all along: a hub logging more than a pipe holds (Apprise logs every send) would
    # otherwise block on its next log line, mid-run.
    tail: deque[str] = deque(maxlen=200)
    if proc.stderr is not None:
        threading.Thread(target=_drain, args=(proc.stderr, tail), daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                time.sleep(0.2)  # the last lines
                sys.exit(f"server exited: {''.join(tail)}")
            try:
                if httpx.get(f"{url}/api/v1/system/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        _PIDS.pop(url, None)
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def fresh_postgres(server_url: str) -> Iterator[str]:
    """A new empty database on the PostgreSQL server of `server_url`, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = server_url.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]
