"""The heartbeat's one-pass header reading finds what FastAPI's security schemes find.

api/agent_headers.py stands in for the schemes api/deps.py declares on every other route; each
case here is read both ways from the same raw ASGI headers.
"""

import asyncio

import pytest
from fastapi import Request
from fastapi.security import APIKeyHeader

from homelab_cmd.api import deps
from homelab_cmd.api.agent_headers import AgentHeaders, agent_headers

Raw = list[tuple[bytes, bytes]]


def _scope(headers: Raw) -> dict[str, object]:
    return {"type": "http", "method": "POST", "path": "/", "headers": headers}


async def _schemes(scope: dict[str, object]) -> AgentHeaders:
    """What the declared schemes make of the request, combined as the heartbeat combines them."""
    request = Request(scope)
    bearer = await deps._bearer(request)
    secret = bearer.credentials if bearer is not None else None
    secret = (
        secret or await deps._api_key_header(request) or await deps._agent_token_header(request)
    )
    cookie = await deps._session_cookie(request)
    guid = await APIKeyHeader(name="X-Server-GUID", auto_error=False)(request)
    return AgentHeaders(secret or None, cookie or None, guid or None)


CASES: dict[str, Raw] = {
    "nothing": [(b"content-type", b"application/json")],
    "bearer": [(b"authorization", b"Bearer hlc_agent_abc")],
    "bearer in lower case, spaces around": [(b"authorization", b"bearer   tok  ")],
    "bearer without credentials, then an agent token": [
        (b"authorization", b"Bearer"),
        (b"x-agent-token", b"legacy"),
    ],
    "bearer with only spaces": [(b"authorization", b"Bearer    ")],
    "basic, then an API key": [(b"authorization", b"Basic dXNlcjpwdw=="), (b"x-api-key", b"k1")],
    "two bearer headers: the first": [
        (b"authorization", b"Bearer first"),
        (b"authorization", b"Bearer second"),
    ],
    "empty API key, then an agent token": [(b"x-api-key", b""), (b"x-agent-token", b"t2")],
    "API key beside an agent token: the API key": [
        (b"x-agent-token", b"t3"),
        (b"x-api-key", b"k3"),
    ],
    "two API keys, the first empty": [(b"x-api-key", b""), (b"x-api-key", b"k4")],
    "session cookie": [(b"cookie", b"theme=dark; homelab_session=s1")],
    "two cookie headers: the later one wins": [
        (b"cookie", b"homelab_session=s1"),
        (b"cookie", b"homelab_session=s2; other=x"),
    ],
    "session cookie in the first of two cookie headers": [
        (b"cookie", b"homelab_session=s1"),
        (b"cookie", b"theme=dark"),
    ],
    "quoted and empty cookies": [(b"cookie", b'homelab_session="q v"; x=')],
    "empty session cookie": [(b"cookie", b"homelab_session=")],
    "cookie and bearer": [(b"cookie", b"homelab_session=s1"), (b"authorization", b"Bearer b")],
    "server GUID": [(b"x-server-guid", b"0f8fad5b-d9cb-469f-a165-70867728950e")],
    "empty server GUID": [(b"x-server-guid", b"")],
    "latin-1 bytes": [(b"authorization", b"Bearer caf\xe9"), (b"x-server-guid", b"\xff")],
}


@pytest.mark.parametrize("headers", CASES.values(), ids=CASES.keys())
def test_one_pass_reads_what_the_security_schemes_read(headers: Raw) -> None:
    scope = _scope(headers)
    expected = asyncio.run(_schemes(scope))
    assert agent_headers(scope, deps.SESSION_COOKIE) == expected


def test_the_cases_cover_every_credential_and_the_guid() -> None:
    # Guards the table above: each field is found in some case and absent in another.
    read = [agent_headers(_scope(h), deps.SESSION_COOKIE) for h in CASES.values()]
    for field in ("secret", "cookie", "guid"):
        values = {getattr(r, field) for r in read}
        assert None in values and len(values) > 2, field
