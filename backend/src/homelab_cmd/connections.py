"""Connection limits for uvicorn: what it lacks to stand on a LAN without a reverse proxy.

uvicorn closes idle keep-alive connections, but a fresh connection that sends nothing, or sends
its request head a byte at a time, or its body a byte at a time, stays open for good; and its
`limit_concurrency` answers 503 to everyone, health checks included, once idle sockets fill it.
This protocol adds, per connection:

- a deadline for the request head (`header_timeout`) on a fresh connection, and for the next
  head on a kept-alive one (`keep_alive`), however slowly its bytes trickle in (one timer
  sweeps every waiting connection, so a head is cut up to a quarter of its timeout late);
- a minimum body rate: after a grace of `header_timeout`, a body must have arrived at
  `body_min_rate` bytes a second, or the connection is closed;
- a cap on open connections that leaves room for new requests: past it, the connection that
  has waited longest without sending a complete request head is closed to make room (it holds
  no request), and only when every connection is busy with a request is the new one refused.
"""

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger(__name__)
BODY_CHECK_SECONDS = 0.5


@dataclass
class ConnectionGuard:
    """Limits shared by every connection of one server, and the connections they hold."""

    header_timeout: float = 5.0
    keep_alive: float = 5.0
    body_min_rate: int = 1024
    max_connections: int = 1000
    open: set[Any] = field(default_factory=set)
    # Connections with no request in progress, oldest first: the ones a new connection may evict,
    # each with the loop time by which its next request head must be complete.
    waiting: OrderedDict[Any, float] = field(default_factory=OrderedDict)
    # The one timer that closes waiting connections past their deadline, and the loop it runs on.
    _sweep: asyncio.TimerHandle | None = field(default=None, init=False, repr=False)
    _sweep_loop: asyncio.AbstractEventLoop | None = field(default=None, init=False, repr=False)

    def protocol(self) -> type[HttpToolsProtocol]:
        """The uvicorn protocol class bound to these limits (uvicorn's `http=`)."""
        guard = self

        class GuardedProtocol(_GuardedProtocol):
            pass

        GuardedProtocol.guard = guard
        return GuardedProtocol

    def admit(self, conn: "_GuardedProtocol") -> bool:
        """Count a new connection; make room if needed. False: refuse it."""
        if len(self.open) >= self.max_connections:
            if not self.waiting:
                return False
            oldest, _ = self.waiting.popitem(last=False)
            oldest.drop()
        self.open.add(conn)
        return True

    def await_head(self, conn: "_GuardedProtocol", seconds: float) -> None:
        """`conn` waits for a request head, for `seconds` at most."""
        loop = conn.loop
        self.waiting.pop(conn, None)
        self.waiting[conn] = loop.time() + seconds
        # A guard used again on another loop (a server run again) arms a sweep there.
        if self._sweep is None or self._sweep_loop is not loop:
            self._sweep = loop.call_later(self._sweep_seconds(), self._drop_late, loop)
            self._sweep_loop = loop

    def _sweep_seconds(self) -> float:
        # One timer for every waiting connection rather than one each, set and cancelled around
        # every request: a head may be cut up to a quarter of its timeout (1 s at most) late.
        return min(max(min(self.header_timeout, self.keep_alive) / 4, 0.05), 1.0)

    def _drop_late(self, loop: asyncio.AbstractEventLoop) -> None:
        self._sweep = None
        now = loop.time()
        for conn in [c for c, deadline in self.waiting.items() if deadline <= now]:
            conn.drop()
        if self.waiting:
            self._sweep = loop.call_later(self._sweep_seconds(), self._drop_late, loop)


class _GuardedProtocol(HttpToolsProtocol):
    guard: ConnectionGuard

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # The body-rate check's timer, set only while a body is still arriving.
        self._timer: asyncio.TimerHandle | None = None
        self._in_body = False
        self._body_bytes = 0
        self._body_started = 0.0
        super().connection_made(transport)
        if not self.guard.admit(self):
            transport.abort()
            return
        self.guard.await_head(self, self.guard.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        self.guard.open.discard(self)
        self.guard.waiting.pop(self, None)
        super().connection_lost(exc)

    def drop(self) -> None:
        """Close this connection, which holds no request (timed out or evicted)."""
        self._cancel()
        self.guard.waiting.pop(self, None)
        if not self.transport.is_closing():
            self.transport.abort()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        # Most requests arrive whole in one read: only a body still incomplete after it needs
        # its rate checked.
        if self._in_body and self._timer is None and not self.transport.is_closing():
            self._timer = self.loop.call_later(BODY_CHECK_SECONDS, self._check_body_rate)

    def on_headers_complete(self) -> None:
        self.guard.waiting.pop(self, None)
        super().on_headers_complete()
        if self.parser is not None and self.cycle is not None and self.cycle.more_body:
            self._in_body = True
            self._body_bytes = 0
            self._body_started = self.loop.time()

    def on_body(self, body: bytes) -> None:
        self._body_bytes += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._in_body = False
        self._cancel()
        super().on_message_complete()

    def _check_body_rate(self) -> None:
        self._timer = None
        elapsed = self.loop.time() - self._body_started
        allowed = self.guard.header_timeout + self._body_bytes / self.guard.body_min_rate
        if elapsed > allowed:
            if not self.transport.is_closing():
                self.transport.abort()
            return
        self._timer = self.loop.call_later(BODY_CHECK_SECONDS, self._check_body_rate)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # uvicorn has started the next pipelined request, if any: `cycle` is the last one read,
        # and the connection waits for a head only when that one is answered too.
        cycle = self.cycle
        if not self.transport.is_closing() and (cycle is None or cycle.response_complete):
            self.guard.await_head(self, self.guard.keep_alive)
