"""Heartbeats answered past the router (api/heartbeat_endpoint.py) answer as the route does.

Each script of requests runs twice on one hub, for two servers: once as agents send it (no
Origin header: HubMiddleware answers) and once with an Origin header (the router and the route
answer). Status, headers and body must be the same, the server's name aside.
"""

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from homelab_cmd.api import heartbeat_endpoint
from homelab_cmd.api.routes import agents
from homelab_cmd.domain.access import Role
from tests.conftest import API_KEY
from tests.factories import heartbeat_payload, make_server, make_token

URL = "/api/v1/agents/heartbeat"
ORIGIN = {"Origin": "https://elsewhere.example"}
# Per-response values: when it was answered, and how far ahead of the hub's clock a future
# timestamp was (the two runs of a script are apart by up to seconds on a busy machine).
_VARYING = {"date"}
_AHEAD = re.compile(r"timestamp is \d+ s ahead")

Request = Callable[[str], httpx.Response]


@pytest.fixture
def route_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The server of every heartbeat the route itself answered."""
    calls: list[str] = []
    answer = heartbeat_endpoint.answer_heartbeat

    async def counted(call: Any) -> Any:
        calls.append(call.heartbeat.server_id)
        return await answer(call)

    monkeypatch.setattr(agents, "answer_heartbeat", counted)
    yield calls


def _answer(response: httpx.Response, server: str) -> tuple[int, dict[str, str], Any]:
    headers = {
        name: value.replace(server, "SERVER")
        for name, value in response.headers.items()
        if name not in _VARYING
    }
    body = _AHEAD.sub("timestamp is N s ahead", response.content.decode().replace(server, "SERVER"))
    return response.status_code, headers, json.loads(body) if body else None


def _both(client: TestClient, script: list[Request]) -> list[tuple[Any, Any]]:
    """The script's answers for server a-1 without Origin and b-1 with it, side by side."""
    fast = [_answer(step("a-1"), "a-1") for step in script]
    routed = [_answer(step("b-1"), "b-1") for step in script]
    return list(zip(fast, routed, strict=True))


def _post(
    client: TestClient, headers: dict[str, str] | None = None, **overrides: Any
) -> Callable[[str, dict[str, str]], httpx.Response]:
    def send(server: str, extra: dict[str, str]) -> httpx.Response:
        payload = heartbeat_payload(server_id=server, hostname=f"{server}.lan", **overrides)
        content = json.dumps(payload, default=str)
        merged = {"Content-Type": "application/json", **(headers or {}), **extra}
        response: httpx.Response = client.post(URL, content=content, headers=merged)
        return response

    return send


Step = Callable[[str, dict[str, str]], httpx.Response]


def _script(*steps: Step) -> list[Request]:
    """Each step sent without Origin for a-1 and with it for b-1."""

    def sent(step: Step) -> Request:
        return lambda server: step(server, ORIGIN if server == "b-1" else {})

    return [sent(step) for step in steps]


def test_stored_and_replayed_heartbeats_answer_alike(
    client: TestClient, route_calls: list[str]
) -> None:
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    script = _script(
        _post(client, timestamp=at.isoformat()),
        _post(client, timestamp=at.isoformat()),  # a replay: stored once
        _post(client, timestamp=(at + timedelta(minutes=1)).isoformat()),
    )

    pairs = _both(client, script)

    for fast, routed in pairs:
        assert fast == routed
    assert [fast[0] for fast, _ in pairs] == [200, 200, 200]
    assert [fast[2]["duplicate"] for fast, _ in pairs] == [False, True, False]
    assert pairs[0][0][2]["server_registered"] is True
    assert pairs[0][0][1]["content-security-policy"].startswith("default-src 'self'")
    # Only the requests with an Origin header reached the route.
    assert route_calls == ["b-1"] * 3
    servers = {s["id"] for s in client.get("/api/v1/servers").json()["data"]}
    assert {"a-1", "b-1"} <= servers


def test_refusals_answer_alike(client: TestClient, engine: Engine, route_calls: list[str]) -> None:
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    make_server(engine, "other")
    _, other_token = make_token(engine, Role.AGENT, server_id="other")

    def raw(body: bytes, headers: dict[str, str] | None = None) -> Any:
        def send(server: str, extra: dict[str, str]) -> httpx.Response:
            merged = {"Content-Type": "application/json", **(headers or {}), **extra}
            content = body.replace(b"SERVER", server.encode())
            response: httpx.Response = client.post(URL, content=content, headers=merged)
            return response

        return send

    script = _script(
        _post(client, timestamp=future),  # 422 TimestampInFuture
        _post(client, metrics={"cpu_percent": "lots"}),  # 422 ValidationError
        raw(b'{"server_id": "SERVER", '),  # 422: not JSON
        _post(client, headers={"X-API-Key": "wrong-key"}),  # 401
        _post(client, headers={"X-API-Key": "", "Authorization": ""}),  # 401: none at all
        _post(client, headers={"X-API-Key": other_token}),  # 403: another server's token
        raw(b"x" * (2 * 1024 * 1024)),  # 413
    )

    pairs = _both(client, script)

    for fast, routed in pairs:
        assert fast == routed
    statuses = [fast[0] for fast, _ in pairs]
    assert statuses == [422, 422, 422, 401, 401, 403, 413]
    errors = [fast[2]["error"] for fast, _ in pairs]
    assert errors == [
        "TimestampInFuture",
        "ValidationError",
        "ValidationError",
        "Unauthorized",
        "Unauthorized",
        "Forbidden",
        "PayloadTooLarge",
    ]
    # The future timestamp got past the credential and the body, to the writer: on the route
    # for b-1 only. Nothing was stored, by either path.
    assert route_calls == ["b-1"]
    servers = {s["id"] for s in client.get("/api/v1/servers").json()["data"]}
    assert not {"a-1", "b-1"} & servers


def test_an_unexpected_error_answers_500_alike_and_reaches_the_server(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(call: Any) -> Any:
        raise RuntimeError(f"disk on fire for {call.heartbeat.server_id}")

    monkeypatch.setattr(heartbeat_endpoint, "store_heartbeat", broken)
    monkeypatch.setattr(agents, "answer_heartbeat", broken)
    with TestClient(app, headers={"X-API-Key": API_KEY}, raise_server_exceptions=False) as client:
        pairs = _both(client, _script(_post(client)))
    with (
        TestClient(app, headers={"X-API-Key": API_KEY}) as raising,
        pytest.raises(RuntimeError, match="disk on fire for a-1"),
    ):
        _post(raising)("a-1", {})

    ((fast, routed),) = pairs
    assert fast == routed
    status, headers, body = fast
    assert (status, body["error"]) == (500, "InternalError")
    assert "fire" not in json.dumps(body)  # the detail stays in the log
    assert headers["content-security-policy"].startswith("default-src 'self'")
    assert "disk on fire for a-1" in caplog.text
