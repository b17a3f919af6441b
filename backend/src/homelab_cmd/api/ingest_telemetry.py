"""Counts and times heartbeat requests, whatever answers them (auth, validation, size limit)."""

import json
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from homelab_cmd.services.prometheus.telemetry import HubTelemetry

HEARTBEAT_PATH = "/api/v1/agents/heartbeat"
# Error envelopes are a few hundred bytes; anything longer is not one.
_MAX_ERROR_BODY = 64 * 1024


class IngestTelemetryMiddleware:
    """Outermost layer, so rejections by the body limit and by dependencies are seen too."""

    def __init__(self, app: ASGIApp, telemetry: HubTelemetry) -> None:
        self.app = app
        self.telemetry = telemetry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != HEARTBEAT_PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        body = bytearray()

        async def observing_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and status >= 400:
                if len(body) < _MAX_ERROR_BODY:
                    body.extend(message.get("body", b""))
                if not message.get("more_body", False):
                    self._answered(status, bytes(body), started)
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                self._answered(status, b"", started)
            await send(message)

        await self.app(scope, receive, observing_send)

    def _answered(self, status: int, body: bytes, started: float) -> None:
        self.telemetry.heartbeat_answered(status, _error_name(body), time.perf_counter() - started)


def _error_name(body: bytes) -> str | None:
    """The `error` of a standard envelope, or None for any other body."""
    if not body:
        return None
    try:
        error = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return None
    return error if isinstance(error, str) and error.isidentifier() else None
