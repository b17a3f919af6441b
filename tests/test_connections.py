"""The connection guard (connections.py) in a uvicorn server of its own: pipelined requests keep
their connection while any of them runs, and a guard used on another loop keeps closing idle
connections."""

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import uvicorn
from fastapi import FastAPI

from homelab_cmd.connections import ConnectionGuard

app = FastAPI()


@app.get("/slow")
async def slow() -> dict[str, bool]:
    await asyncio.sleep(1.0)
    return {"ok": True}


@contextmanager
def _serving(guard: ConnectionGuard) -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", http=guard.protocol(), ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def _answers(port: int, request: bytes, count: int) -> int:
    """How many 200s come back for `request` (sent in one write) before the hub closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        data = b""
        while data.count(b"HTTP/1.1 200") < count:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return data.count(b"HTTP/1.1 200")


def _closed_within(port: int, seconds: float) -> bool:
    """Whether an idle fresh connection is closed by the hub within `seconds`."""
    with socket.create_connection(("127.0.0.1", port), timeout=seconds) as sock:
        try:
            return sock.recv(1) == b""
        except TimeoutError:
            return False


def test_the_last_pipelined_request_runs_past_the_keep_alive_deadline() -> None:
    guard = ConnectionGuard(header_timeout=0.4, keep_alive=0.4)
    slow_twice = b"GET /slow HTTP/1.1\r\nHost: hub\r\n\r\n" * 2

    with _serving(guard) as port:
        # The second runs for a second after the first is answered: it is not idle meanwhile.
        assert _answers(port, slow_twice, 2) == 2


class _Waiting:
    """A connection waiting for its request head, as the guard sees one."""

    def __init__(self, guard: ConnectionGuard, loop: asyncio.AbstractEventLoop) -> None:
        self.guard = guard
        self.loop = loop
        self.dropped = False

    def drop(self) -> None:
        self.dropped = True
        self.guard.waiting.pop(self, None)


def test_a_guard_used_again_on_another_loop_still_closes_idle_connections() -> None:
    guard = ConnectionGuard(header_timeout=0.2, keep_alive=0.2)
    first = asyncio.new_event_loop()
    guard.await_head(cast(Any, _Waiting(guard, first)), 0.2)
    first.close()  # a server run that ended with its sweep still pending

    second = asyncio.new_event_loop()
    try:
        idle = _Waiting(guard, second)
        guard.await_head(cast(Any, idle), 0.2)
        second.run_until_complete(asyncio.sleep(0.5))
    finally:
        second.close()

    assert idle.dropped
