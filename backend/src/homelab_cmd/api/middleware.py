"""The hub's one ASGI middleware: security headers, the body limit, heartbeat telemetry and HEAD.

They were four middlewares, each wrapping `send` (and the body limit `receive`); under heartbeat
load the nesting cost more hub CPU than validating the body. One layer now does all four, with
one `send` wrapper, in the order the four had (outermost first):

- Security headers, on every response, errors and 413s included. The hub serves everything its
  pages need from its own origin (the UI's Vite bundle, uPlot, the Swagger UI files of
  /api/docs), so the policy allows that origin only: no inline script, no third-party script,
  style, font or connection, and no page of another site may frame the hub (clickjacking).
  `data:` images stay allowed for the icons stylesheets embed. When the hub serves TLS itself,
  Strict-Transport-Security tells browsers to use https only for a year. No includeSubDomains
  (the hub's name says nothing about its neighbours' TLS) and no preload (a homelab name has no
  place on browsers' built-in lists). Browsers ignore the header over a certificate they do not
  trust, so a self-signed hub is only pinned once the admin trusts it.
- Heartbeat telemetry: counts and times every heartbeat request, whatever answers it (auth,
  validation, the size limit).
- The body limit: 413 for a Content-Length over it, or a streamed body that grows past it,
  before the body is read into memory. Starlette's own `max_body_size` answers with plain text,
  not the `{error: "PayloadTooLarge", detail}` envelope every other error uses and the OpenAPI
  document promises.
- HEAD answered as GET, without the body (RFC 9110): for uptime monitors and `curl -I`. FastAPI
  registers a route for the methods it names only, so HEAD on the health check or a UI page was
  a 405. The request goes on as a GET, with the same access rules.

Inside those four, a heartbeat without an Origin header (an agent's: browsers send one, and CORS
must see those) is answered by `heartbeat` (api/heartbeat_endpoint.py) instead of the app.
"""

import json
import time

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from homelab_cmd.services.prometheus.telemetry import HubTelemetry

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    # frame-ancestors above is the standard; X-Frame-Options covers browsers that predate it.
    (b"x-frame-options", b"DENY"),
)
HSTS_HEADER = (b"strict-transport-security", b"max-age=31536000")
_NAMES = frozenset(name for name, _ in SECURITY_HEADERS) | {HSTS_HEADER[0]}

HEARTBEAT_PATH = "/api/v1/agents/heartbeat"
# Error envelopes are a few hundred bytes; anything longer is not one.
_MAX_ERROR_BODY = 64 * 1024


class HubMiddleware:
    """Adds SECURITY_HEADERS to every HTTP response (replacing any the app set) and HSTS to those
    sent over the hub's own TLS (`hsts`); times heartbeats; refuses bodies over `max_body_bytes`;
    runs HEAD as GET without the body."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        telemetry: HubTelemetry,
        hsts: bool = False,
        heartbeat: ASGIApp | None = None,
    ) -> None:
        self.app = app
        self.heartbeat = heartbeat
        self.max_body_bytes = max_body_bytes
        self.telemetry = telemetry
        self.over_tls = (*SECURITY_HEADERS, HSTS_HEADER) if hsts else SECURITY_HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        exchange = _Exchange(self, scope, receive, send)
        too_large, origin = self._read_headers(scope)
        if too_large:
            await exchange.reject()
            return
        app = self.app
        if exchange.observed and not origin and self.heartbeat is not None:
            app = self.heartbeat
        inner = {**scope, "method": "GET"} if exchange.head else scope
        try:
            await app(inner, exchange.receive, exchange.respond)
        except ClientDisconnect:
            # Either our own 413 cut the body short, or the client went away: nobody to answer.
            return

    def _read_headers(self, scope: Scope) -> tuple[bool, bool]:
        """Whether the declared Content-Length is over the limit (or not a number), and whether
        the request has an Origin header."""
        too_large = origin = False
        for name, value in scope["headers"]:
            if name == b"content-length":
                too_large = not value.isdigit() or int(value) > self.max_body_bytes
            elif name == b"origin":
                origin = True
        return too_large, origin

    async def reject(self, send: Send) -> None:
        body = json.dumps(
            {
                "error": "PayloadTooLarge",
                "detail": f"request body over the limit of {self.max_body_bytes} bytes",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def answered(self, status: int, body: bytes, started: float) -> None:
        self.telemetry.heartbeat_answered(status, _error_name(body), time.perf_counter() - started)


class _Exchange:
    """One request's passage through HubMiddleware: what it has seen and answered so far."""

    __slots__ = (
        "added",
        "error_body",
        "head",
        "layer",
        "observed",
        "rejected",
        "seen",
        "send",
        "started",
        "status",
        "upstream",
    )

    def __init__(self, layer: HubMiddleware, scope: Scope, receive: Receive, send: Send) -> None:
        self.layer = layer
        self.upstream = receive
        self.send = send
        self.added = layer.over_tls if scope.get("scheme") == "https" else SECURITY_HEADERS
        method = scope["method"]
        self.observed = method == "POST" and scope["path"] == HEARTBEAT_PATH
        self.started = time.perf_counter() if self.observed else 0.0
        self.head = method == "HEAD"
        self.status = 0
        self.error_body = bytearray()
        self.rejected = False
        self.seen = 0

    async def respond(self, message: Message) -> None:
        # After a 413 the app's own answer is dropped: the client already has one.
        if self.rejected:
            return
        kind = message["type"]
        if kind == "http.response.start":
            self.status = message["status"]
            headers = [h for h in message.get("headers", ()) if h[0].lower() not in _NAMES]
            headers.extend(self.added)
            message["headers"] = headers
        elif kind == "http.response.body":
            final = not message.get("more_body", False)
            if self.observed:
                self._observe(message, final)
            if self.head:
                if not final:
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
        await self.send(message)

    def _observe(self, message: Message, final: bool) -> None:
        if self.status >= 400 and len(self.error_body) < _MAX_ERROR_BODY:
            self.error_body.extend(message.get("body", b""))
        if final:
            self.layer.answered(self.status, bytes(self.error_body), self.started)

    async def receive(self) -> Message:
        # Past the limit the client gets its 413 at once and the app sees a disconnect,
        # so it stops reading.
        if self.rejected:
            return {"type": "http.disconnect"}
        message = await self.upstream()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.layer.max_body_bytes:
                await self.reject()
                return {"type": "http.disconnect"}
        return message

    async def reject(self) -> None:
        # The 413 is the body limit's own answer: headers and telemetry see it, HEAD does not
        # strip it, and whatever the app answers afterwards is dropped.
        self.head = False
        await self.layer.reject(self.respond)
        self.rejected = True


def _error_name(body: bytes) -> str | None:
    """The `error` of a standard envelope, or None for any other body."""
    if not body:
        return None
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return None
    return error if isinstance(error, str) and error.isidentifier() else None
