"""HEAD is answered as GET is, without the body (RFC 9110): for uptime monitors and `curl -I`.

FastAPI registers a route for the methods it names only, so HEAD on the health check or a UI
page was a 405. The request goes on as a GET, with the same access rules, and the body is dropped
here, so no HEAD answer carries one whichever server runs the app.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    """Runs HEAD requests as GET and sends the status and headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, send_without_body)
