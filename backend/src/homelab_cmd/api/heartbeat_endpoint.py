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
from homelab_cmd.services.ingest.store import StoredHeartbeat

_Handler = Callable[[Request, Exception], Response | Awaitable[Response]]


async def store_heartbeat(call: HeartbeatCall) -> StoredHeartbeat:
    """Store the heartbeat: returns once committed (200), raises its refusal otherwise."""
    agent = call.agent
    return await call.writer.submit(call.heartbeat, agent.token_id if agent.server_id else None)


def heartbeat_response(stored: StoredHeartbeat) -> HeartbeatResponse:
    """What the agent should do next."""
    return HeartbeatResponse(
        server_registered=stored.server_registered,
        duplicate=stored.duplicate,
        usage_scan_requests=list(stored.usage_scan_requests),
    )


async def answer_heartbeat(call: HeartbeatCall) -> HeartbeatResponse:
    """Store the heartbeat (200 means committed) and say what the agent should do next."""
    return heartbeat_response(await store_heartbeat(call))


# Nearly every answer has no usage-scan request: one of these four bodies, serialised once.
_PLAIN_ANSWERS = {
    (registered, duplicate): HeartbeatResponse(server_registered=registered, duplicate=duplicate)
    .model_dump_json()
    .encode()
    for registered in (False, True)
    for duplicate in (False, True)
}


def _answer_body(stored: StoredHeartbeat) -> bytes:
    if stored.usage_scan_requests:
        return heartbeat_response(stored).model_dump_json().encode()
    return _PLAIN_ANSWERS[stored.server_registered, stored.duplicate]


async def heartbeat_endpoint(scope: Scope, receive: Receive, send: Send) -> None:
    """The heartbeat route's answer as an ASGI app, in front of the app (api/hub_app.py): an
    error without a handler of its own gets the catch-all's 500 and is raised on to the server,
    as FastAPI's outermost layer does."""
    request = Request(scope, receive)
    try:
        stored = await store_heartbeat(await heartbeat_call(request))
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
    body = _answer_body(stored)
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
