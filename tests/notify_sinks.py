"""Real loopback receivers for notifications: an HTTP sink for `json://`, an SMTP one for `mailto://`."""

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from tests.processes import free_port


@dataclass
class HttpSink:
    """Collects JSON posts; the first `fail_next` requests are answered 500."""

    port: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    # Wall-clock time each message arrived, beside `received`: comparable with the hub's stamps.
    arrived: list[datetime] = field(default_factory=list)
    failed: int = 0
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def messages(self) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.received)


def _handler(sink: HttpSink) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with sink.lock:
                failing = sink.fail_next > 0
                if failing:
                    sink.fail_next -= 1
                    sink.failed += 1
                else:
                    sink.received.append(json.loads(body))
                    sink.arrived.append(datetime.now(UTC))
            self.send_response(500 if failing else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def http_sink(fail_next: int = 0) -> Iterator[HttpSink]:
    sink = HttpSink(fail_next=fail_next)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(sink))
    sink.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SmtpSink:
    port: int
    received: list[Message] = field(default_factory=list)

    @property
    def url(self) -> str:
        # Plain SMTP on loopback without login: `mode=insecure` keeps Apprise from STARTTLS.
        return (
            f"mailto://hub@127.0.0.1:{self.port}"
            "?mode=insecure&from=hub@homelab.test&to=ops@homelab.test"
        )


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self._sink.received.append(message_from_bytes(envelope.original_content))
        return "250 OK"


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink(port=free_port())
    controller = Controller(
        _Handler(sink),
        hostname="127.0.0.1",
        port=sink.port,
        auth_require_tls=False,
        auth_required=False,
    )
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def wait_for(check: Callable[[], bool], what: str, timeout: float = 120.0) -> None:
    """Poll until `check` holds; generous, for a loaded machine."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
