"""Against a real hub process: idle, slow-head and slow-body sockets are closed within the
limits, and health answers with hundreds of them open, past the connection cap."""

import json
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.hub_process import API_KEY, HUB, running_hub

pytestmark = pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed")
LIMITS = {
    "HOMELAB_CMD_HEADER_TIMEOUT_SECONDS": "1",
    "HOMELAB_CMD_KEEP_ALIVE_SECONDS": "1",
    "HOMELAB_CMD_BODY_MIN_BYTES_PER_SECOND": "1000",
    "HOMELAB_CMD_MAX_CONNECTIONS": "200",
}
IDLE = 300


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[str]:
    with running_hub(tmp_path / "data", LIMITS) as (_, url):
        yield url


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=5)
    return sock


def _closed_by_peer(sock: socket.socket) -> bool:
    """True once the hub has closed this connection (EOF or reset), False while it holds it."""
    sock.setblocking(False)
    try:
        return sock.recv(65536) == b""
    except BlockingIOError:
        return False
    except (ConnectionResetError, BrokenPipeError):
        return True
    finally:
        sock.setblocking(True)


def _wait_all_closed(socks: list[socket.socket], within: float) -> int:
    """How many of `socks` the hub still holds after `within` seconds."""
    deadline = time.monotonic() + within
    held = socks
    while held and time.monotonic() < deadline:
        held = [s for s in held if not _closed_by_peer(s)]
        time.sleep(0.1)
    return len(held)


def test_idle_and_slow_head_sockets_are_closed_while_health_answers(hub: str) -> None:
    with ExitStack() as stack:
        idle = [stack.enter_context(_connect(hub)) for _ in range(IDLE)]
        slow = [stack.enter_context(_connect(hub)) for _ in range(20)]
        for sock in slow:
            sock.sendall(b"GET /api/v1/system/health HTTP/1.1\r\n")

        # 320 sockets against a cap of 200: health still gets in, evicting idle ones.
        for _ in range(5):
            assert httpx.get(f"{hub}/api/v1/system/health", timeout=5).status_code == 200

        for _ in range(3):  # a byte at a time, but the head never completes
            for sock in slow:
                with suppress(OSError):
                    sock.sendall(b"X")
            time.sleep(0.4)
        held = _wait_all_closed(idle + slow, within=5)

    assert held == 0


def test_an_idle_keep_alive_connection_is_closed(hub: str) -> None:
    with _connect(hub) as sock:
        sock.sendall(b"GET /api/v1/system/health HTTP/1.1\r\nHost: hub\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")

        assert _wait_all_closed([sock], within=4) == 0


def test_a_body_slower_than_the_minimum_rate_is_cut_and_nothing_is_stored(hub: str) -> None:
    body = json.dumps(
        {"server_id": "slow", "hostname": "slow", "timestamp": datetime.now(UTC).isoformat()}
    ).encode()
    head = (
        f"POST /api/v1/agents/heartbeat HTTP/1.1\r\nHost: hub\r\nX-API-Key: {API_KEY}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body) + 5000}\r\n\r\n"
    ).encode()
    with _connect(hub) as sock:
        sock.sendall(head + body[:10])
        began = time.monotonic()
        for byte in body[10:40]:  # 10 bytes a second against a minimum of 1000
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            time.sleep(0.1)
        held = _wait_all_closed([sock], within=5)
        took = time.monotonic() - began

    assert held == 0
    assert took < 6
    listed = httpx.get(f"{hub}/api/v1/servers", headers={"X-API-Key": API_KEY}).json()
    assert listed["count"] == 0


def test_a_normal_heartbeat_still_gets_through(hub: str) -> None:
    payload = {"server_id": "ok", "hostname": "ok", "timestamp": datetime.now(UTC).isoformat()}
    response = httpx.post(
        f"{hub}/api/v1/agents/heartbeat", json=payload, headers={"X-API-Key": API_KEY}
    )
    assert response.status_code == 200


def test_websocket_upgrades_past_the_cap_leave_room_for_everyone_else(hub: str) -> None:
    # The hub serves no WebSocket: an upgrade is answered as plain HTTP, and its connection
    # counts against the cap only while it is open (it used to hold its place for good).
    upgrade = (
        b"GET /api/v1/system/health HTTP/1.1\r\nHost: hub\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        b"Sec-WebSocket-Version: 13\r\n\r\n"
    )
    answers = []
    for _ in range(int(LIMITS["HOMELAB_CMD_MAX_CONNECTIONS"]) + 20):
        with _connect(hub) as sock:
            sock.sendall(upgrade)
            answers.append(sock.recv(65536).split(b"\r\n", 1)[0])

    assert set(answers) == {b"HTTP/1.1 200 OK"}
    assert httpx.get(f"{hub}/api/v1/system/health", timeout=5).status_code == 200
