"""Transport: headers, status classification and retries with backoff, against httpx's mock."""

import httpx
import pytest

from homelab_agent.transport import HEARTBEAT_PATH, HubClient, Outcome, backoff_delay, classify


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.DELIVERED),
        (202, Outcome.DELIVERED),
        (401, Outcome.UNAUTHORIZED),
        (403, Outcome.UNAUTHORIZED),
        (413, Outcome.REJECTED),
        (422, Outcome.REJECTED),
        (429, Outcome.RETRY_LATER),
        (500, Outcome.RETRY_LATER),
        (503, Outcome.RETRY_LATER),
    ],
)
def test_status_decides_what_happens_to_the_payload(status: int, outcome: Outcome) -> None:
    assert classify(status) is outcome


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
    answers = iter([httpx.Response(503), httpx.Response(502), httpx.Response(200)])
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
        return httpx.Response(422, json={"detail": "bad"})

    client = HubClient("http://hub", "k" * 20, retries=3, transport=httpx.MockTransport(reject))
    assert client.send(b"{}").outcome is Outcome.REJECTED
    assert len(calls) == 1


def test_backoff_is_capped_and_jittered() -> None:
    assert backoff_delay(10, base=0.5, cap=10.0, rand=lambda: 1.0) == 10.0
    assert backoff_delay(1, base=0.5, cap=10.0, rand=lambda: 0.5) == 0.5
