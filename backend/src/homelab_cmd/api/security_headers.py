"""Browser-facing protections sent with every response: the UI, the API and the API docs.

The hub serves everything its pages need from its own origin (the UI's Vite bundle, uPlot, the
Swagger UI files of /api/docs), so the policy allows that origin only: no inline script, no
third-party script, style, font or connection, and no page of another site may frame the hub
(clickjacking). `data:` images stay allowed for the icons stylesheets embed. The headers are added
as the response starts, in plain ASGI, so they cost the heartbeat path one list extension.

When the hub serves TLS itself, Strict-Transport-Security tells browsers to use https only for a
year. No includeSubDomains (the hub's name says nothing about its neighbours' TLS) and no preload
(a homelab name has no place on browsers' built-in lists). Browsers ignore the header over a
certificate they do not trust, so a self-signed hub is only pinned once the admin trusts it.
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
HSTS_HEADER = (b"strict-transport-security", b"max-age=31536000")
_NAMES = frozenset(name for name, _ in SECURITY_HEADERS) | {HSTS_HEADER[0]}


class SecurityHeadersMiddleware:
    """Adds SECURITY_HEADERS to every HTTP response, replacing any the app set itself, and HSTS
    to those sent over the hub's own TLS (`hsts`), never to plain http ones."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.over_tls = (*SECURITY_HEADERS, HSTS_HEADER) if hsts else SECURITY_HEADERS

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = self.over_tls if scope.get("scheme") == "https" else SECURITY_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", ()) if h[0].lower() not in _NAMES]
                headers.extend(added)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
