"""Start and stop a real hub process for benchmarks."""

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / ".venv" / "bin" / "homelab-cmd"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_hub(
    data_dir: Path, extra_env: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """A hub on a free port with its own data folder; yields (base URL, API key)."""
    port = free_port()
    # A fixed prefix: a key starting with "-" would read as an option on the load command line.
    key = "bench-" + secrets.token_urlsafe(24)
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
        **(extra_env or {}),
    }
    proc = subprocess.Popen([str(HUB), "serve"], env=env, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                sys.exit(f"hub exited: {proc.stderr.read() if proc.stderr else ''}")
            try:
                if httpx.get(f"{url}/api/v1/system/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, key
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]
