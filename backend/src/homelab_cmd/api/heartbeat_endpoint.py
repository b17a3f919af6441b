"""POST /api/v1/agents/heartbeat answered from the hub's middleware layer, past the router.

Heartbeats are nearly every request a hub serves. In-process, with the commit left out, the
app's router (nested routers matched route by route) and FastAPI's dependency solving and
response handling cost about three times what validating the body does. HubMiddleware hands
heartbeats here instead: the same steps as the route in routes/agents.py (its one flat
dependency, then `answer_heartbeat`), and every error rendered by the handler the app
registered for it, so the answer is the route's, byte for byte. The route stays the declaration
(the OpenAPI document, the typed client, the authorization tests' list of routes) and still
answers what does not come this way: a request with an Origin header goes through CORS.
"""

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from homelab_cmd.api.deps import HeartbeatCall, heartbeat_call
from homelab_cmd.schemas.heartbeat import HeartbeatResponse

_Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


async def answer_heartbeat(call: HeartbeatCall) -> HeartbeatResponse:
    """Store the heartbeat (200 means committed) and say what the agent should do next."""
    agent = call.agent
    stored = await call.writer.submit(call.heartbeat, agent.token_id if agent.server_id else None)
    return HeartbeatResponse(
        server_registered=stored.server_registered,
        duplicate=stored.duplicate,
        usage_scan_requests=list(stored.usage_scan_requests),
    )


async def heartbeat_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """The heartbeat route's answer as an ASGI app, in front of the app (api/hub_app.py): an
    error without a handler of its own gets the catch-all's 500 and is raised on to the server,
    as FastAPI's outermost layer does."""
    request = Request(scope, receive)
    try:
        answer = await answer_heartbeat(await heartbeat_call(request))
    except ClientDisconnect:
        raise  # nobody to answer (HubMiddleware's own 413 cut the body short, or the client left)
    except Exception as exc:
        handlers = request.app.exception_handlers
        handler = _handler(handlers, exc)
        unexpected = handler is None
        handler = handler or handlers.get(Exception) or handlers.get(500)
        if handler is None:
            raise
        outcome = handler(request, exc)
        response = await outcome if inspect.isawaitable(outcome) else outcome
        await response(scope, receive, send)
        if unexpected:
            raise
        return
    # The two messages Starlette's Response(body, media_type="application/json") sends, without
    # building one.
    body = answer.model_dump_json().encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-length", str(len(body)).encode("latin-1")),
                (b"content-type", b"application/json"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _handler(handlers: dict[Any, _Handler], exc: Exception) -> _Handler | None:
    # As Starlette's exception middleware chooses: the nearest class up the exception's MRO.
    for cls in type(exc).__mro__:
        if cls is Exception:  # the catch-all belongs to the outermost layer (the 500)
            return None
        if cls in handlers:
            return handlers[cls]
    return None
