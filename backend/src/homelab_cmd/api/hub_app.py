"""The hub's ASGI application: FastAPI with HubMiddleware in front of it, not inside it.

FastAPI puts three layers of its own before any middleware an app adds (the 500 handler, its
exception telemetry and its body limit), and its own `__call__` before those. An agent's
heartbeat, answered by HubMiddleware past the router, still passed all four, each a coroutine
and the first wrapping `send`. HubMiddleware now comes first: it hands every other request to
the whole app as before, and takes agents' heartbeats straight to api/heartbeat_endpoint.py,
which renders an unexpected error with the app's catch-all handler as FastAPI's 500 layer does.
Answers the 500 layer renders now pass HubMiddleware too, so they carry the security headers.
"""

from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send


class HubApp(FastAPI):
    """FastAPI behind `front` (set once the app is built: HubMiddleware around `behind`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.front: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        front = self.front
        if front is None or scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # What Starlette's own __call__ sets first; a heartbeat taken at the door never gets there.
        scope["app"] = self
        await front(scope, receive, send)

    async def behind(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app as FastAPI builds it: what `front` hands every request it does not answer."""
        await super().__call__(scope, receive, send)
