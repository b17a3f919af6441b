"""A heartbeat's credential and GUID headers, read in one pass over the request's raw headers.

The same answers as FastAPI's security schemes the other routes declare (api/deps.py: the
bearer header, X-API-Key, X-Agent-Token and the session cookie) and APIKeyHeader for
X-Server-GUID, which each build Starlette's header map and search it: on the hub's hottest path
those lookups cost more than half of validating the body. tests/api/test_agent_headers.py holds
the two side by side.
"""

from dataclasses import dataclass

from starlette.requests import cookie_parser
from starlette.types import Scope

_AUTHORIZATION = b"authorization"
_API_KEY = b"x-api-key"
_AGENT_TOKEN = b"x-agent-token"
_SERVER_GUID = b"x-server-guid"
_COOKIE = b"cookie"
_WANTED = frozenset({_AUTHORIZATION, _API_KEY, _AGENT_TOKEN, _SERVER_GUID})


@dataclass(frozen=True, slots=True)
class AgentHeaders:
    """What a request presents: a header secret, a session cookie, the X-Server-GUID header
    (each None when absent or empty)."""

    secret: str | None
    cookie: str | None
    guid: str | None


def agent_headers(scope: Scope, cookie_name: str) -> AgentHeaders:
    """The first of each header, as Starlette's `Headers.get` finds it (ASGI names are lower
    case); every Cookie header, merged as `Request.cookies` merges them."""
    first: dict[bytes, str] = {}
    cookie_lines: list[str] = []
    for name, value in scope["headers"]:
        if name in _WANTED:
            if name not in first:
                first[name] = value.decode("latin-1")
        elif name == _COOKIE:
            cookie_lines.append(value.decode("latin-1"))
    cookie = None
    if cookie_lines:
        cookies: dict[str, str] = {}
        for line in cookie_lines:
            cookies.update(cookie_parser(line))
        cookie = cookies.get(cookie_name)
    secret = _bearer(first.get(_AUTHORIZATION)) or first.get(_API_KEY) or first.get(_AGENT_TOKEN)
    return AgentHeaders(secret or None, cookie or None, first.get(_SERVER_GUID) or None)


def _bearer(authorization: str | None) -> str | None:
    # HTTPBearer: "<scheme> <credentials>", the scheme "bearer" in any case, credentials stripped.
    if not authorization:
        return None
    scheme, _, credentials = authorization.partition(" ")
    credentials = credentials.strip()
    if not scheme or not credentials or scheme.lower() != "bearer":
        return None
    return credentials
