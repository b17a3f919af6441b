"""Browser-facing protections sent with every response: the UI, the API and the API docs.

The hub serves everything its pages need from its own origin (the UI's Vite bundle, uPlot, the
Swagger UI files of /api/docs), so the policy allows that origin only: no inline script, no
third-party script, style, font or connection, and no page of another site may frame the hub
(clickjacking). `data:` images stay allowed for the icons stylesheets embed. The headers are added
as the response starts, in plain ASGI, so they cost the heartbeat path one list extension.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


class SecurityHeadersMiddleware:
    """Adds SECURITY_HEADERS to every HTTP response, replacing any the app set itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", ()) if h[0].lower() not in _NAMES]
                headers.extend(SECURITY_HEADERS)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
