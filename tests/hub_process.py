"""A real hub process on a free port, for tests that need its sockets, memory or a kill -9."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

HUB = Path(sys.executable).parent / "homelab-cmd"
API_KEY = "real-hub-test-key-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_bytes(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


@contextmanager
def running_hub(
    data_dir: Path, env: Mapping[str, str] | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Start `homelab-cmd serve`; yields the process and its base URL, and stops it after."""
    port = free_port()
    full_env = {
        **os.environ,
        "HOMELAB_CMD_DATA_DIR": str(data_dir),
        "HOMELAB_CMD_PORT": str(port),
        "HOMELAB_CMD_API_KEY": API_KEY,
        "HOMELAB_CMD_MAINTENANCE_INTERVAL_SECONDS": "0",
        # Tests of the deadline set their own; elsewhere a busy machine must not turn into 503s.
        "HOMELAB_CMD_WRITER_DEADLINE_SECONDS": "120",
        **(env or {}),
    }
    log = (data_dir.parent / f"hub-{port}.log").open("wb")
    hub = subprocess.Popen([str(HUB), "serve"], env=full_env, stdout=log, stderr=log)
    tls = full_env.get("HOMELAB_CMD_TLS") == "self-signed" or "HOMELAB_CMD_TLS_CERT" in full_env
    url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if hub.poll() is not None:
                pytest.fail(f"hub exited with {hub.returncode}: {log.name}")
            try:
                # Readiness only: the certificate is what the TLS tests check, not this poll.
                health = httpx.get(f"{url}/api/v1/system/health", timeout=1, verify=not tls)
                if health.is_success:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("hub did not become healthy within 90 s")
            time.sleep(0.1)
        yield hub, url
    finally:
        if hub.poll() is None:
            hub.terminate()
            try:
                hub.wait(timeout=15)
            except subprocess.TimeoutExpired:
                hub.kill()
                hub.wait()
        log.close()
