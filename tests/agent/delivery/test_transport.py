"""Transport: headers, status classification and retries with backoff, against httpx's mock."""

import httpx
import pytest

from homelab_agent.delivery.transport import (
    HEARTBEAT_PATH,
    HubClient,
    Outcome,
    backoff_delay,
    classify,
    retry_after_seconds,
)

HUB_OK = b'{"status": "ok", "server_registered": false}'
ENVELOPE = b'{"error": "ValidationError", "detail": "filesystems.0: bad"}'


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (200, HUB_OK, Outcome.DELIVERED),
        (202, HUB_OK, Outcome.DELIVERED),
        (200, b"<html>captive portal</html>", Outcome.RETRY_LATER),
        (200, b'{"ok": true}', Outcome.RETRY_LATER),
        (200, None, Outcome.RETRY_LATER),  # cut at the cap or the deadline
        (401, b"", Outcome.UNAUTHORIZED),
        (403, b"<html>", Outcome.UNAUTHORIZED),
        (400, ENVELOPE, Outcome.REJECTED),
        (413, ENVELOPE, Outcome.REJECTED),
        (422, ENVELOPE, Outcome.REJECTED),
        (400, b"<html>Bad Request</html>", Outcome.RETRY_LATER),
        (422, b'{"detail": "a proxy"}', Outcome.RETRY_LATER),
        (301, b"", Outcome.RETRY_LATER),
        (308, b"", Outcome.RETRY_LATER),
        (404, ENVELOPE, Outcome.RETRY_LATER),
        (405, ENVELOPE, Outcome.RETRY_LATER),
        (409, ENVELOPE, Outcome.RETRY_LATER),
        (429, b"", Outcome.RETRY_LATER),
        (500, b"", Outcome.RETRY_LATER),
        (503, ENVELOPE, Outcome.RETRY_LATER),
    ],
)
def test_status_and_body_decide_what_happens_to_the_payload(
    status: int, body: bytes | None, outcome: Outcome
) -> None:
    assert classify(status, body) is outcome


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("0", 0.0), ("999999", 3600.0), ("soon", None), (None, None)],
)
def test_retry_after_is_read_as_seconds(header: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header) == seconds


def test_retry_after_as_an_http_date() -> None:
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:30 GMT", now=10.0) == 20.0


def test_retry_after_is_honoured_before_the_next_attempt() -> None:
    answers = iter(
        [httpx.Response(503, headers={"Retry-After": "4"}), httpx.Response(200, content=HUB_OK)]
    )
    sleeps: list[float] = []
    client = HubClient(
        "http://hub", "k" * 20, retries=1, backoff_base=0.5, sleep=sleeps.append,
        rand=lambda: 1.0, transport=httpx.MockTransport(lambda _r: next(answers)),
    )  # fmt: skip
    assert client.send(b"{}").outcome is Outcome.DELIVERED
    assert sleeps == [4.0]


def test_heartbeat_is_posted_with_the_api_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"status": "ok"})

    client = HubClient(
        "http://hub:8080/", "secret-key-0123456789", transport=httpx.MockTransport(handler)
    )
    result = client.send(b'{"a": 1}')
    assert result.outcome is Outcome.DELIVERED
    assert seen[0].url.path == HEARTBEAT_PATH
    assert seen[0].headers["X-API-Key"] == "secret-key-0123456789"
    assert seen[0].content == b'{"a": 1}'


def test_transient_failures_are_retried_with_backoff() -> None:
    answers = iter([httpx.Response(503), httpx.Response(502), httpx.Response(200, content=HUB_OK)])
    sleeps: list[float] = []
    client = HubClient(
        "http://hub",
        "k" * 20,
        retries=2,
        backoff_base=0.5,
        sleep=sleeps.append,
        rand=lambda: 1.0,
        transport=httpx.MockTransport(lambda _r: next(answers)),
    )
    assert client.send(b"{}").outcome is Outcome.DELIVERED
    assert sleeps == [0.5, 1.0]


def test_connection_error_is_retry_later() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = HubClient(
        "http://hub", "k" * 20, retries=1, sleep=lambda _s: None,
        transport=httpx.MockTransport(refuse),
    )  # fmt: skip
    result = client.send(b"{}")
    assert result.outcome is Outcome.RETRY_LATER
    assert "ConnectError" in result.detail


def test_client_errors_are_not_retried() -> None:
    calls: list[int] = []

    def reject(_request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(422, content=ENVELOPE)

    client = HubClient("http://hub", "k" * 20, retries=3, transport=httpx.MockTransport(reject))
    assert client.send(b"{}").outcome is Outcome.REJECTED
    assert len(calls) == 1


def test_backoff_is_capped_and_jittered() -> None:
    assert backoff_delay(10, base=0.5, cap=10.0, rand=lambda: 1.0) == 10.0
    assert backoff_delay(1, base=0.5, cap=10.0, rand=lambda: 0.5) == 0.5
