"""Delivery to the hub: httpx with explicit timeouts, retries with backoff and jitter."""

from __future__ import annotations

import email.utils
import enum
import json
import logging
import random
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from homelab_agent import __version__

log = logging.getLogger(__name__)

HEARTBEAT_PATH = "/api/v1/agents/heartbeat"


class Outcome(enum.Enum):
    """What became of one delivery attempt."""

    DELIVERED = "delivered"  # 2xx with the hub's answer: the hub stored it
    UNAUTHORIZED = "unauthorized"  # 401/403: keep it, the key must be fixed
    REJECTED = "rejected"  # 400/413/422 in the hub's error envelope: never acceptable
    RETRY_LATER = "retry_later"  # anything else: keep it and try again


# The hub answers in a few hundred bytes; a reply past this is not the hub's and is not read on.
MAX_REPLY_BYTES = 64 * 1024
REJECTING_STATUSES = frozenset({400, 413, 422})


@dataclass(frozen=True)
class SendResult:
    """Outcome plus what to log, and how long the hub asked us to wait (Retry-After)."""

    outcome: Outcome
    detail: str
    retry_after: float | None = None
    # The hub's answer to a delivered heartbeat (it may carry `usage_scan_requests`).
    answer: dict[str, object] | None = None


def backoff_delay(attempt: int, base: float, cap: float, rand: Callable[[], float]) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base·2^attempt)]."""
    return float(rand() * min(cap, base * (2**attempt)))


def _json_object(body: bytes) -> dict[str, object] | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def classify(status: int, body: bytes | None = b'{"status": "ok"}') -> Outcome:
    """What the spool does with a payload, from the status and the (capped) reply body.

    A heartbeat leaves the spool only on the hub's own answers: a 2xx whose body is the hub's
    heartbeat response, or a 400/413/422 in the hub's error envelope (this payload can never be
    accepted). A proxy's redirect, a 404 or 405 from a redeploy, an HTML error page, a reply cut
    at the cap: all keep it. `body` None means the reply was not read to its end.
    """
    if status in (401, 403):
        return Outcome.UNAUTHORIZED
    reply = _json_object(body) if body is not None else None
    if 200 <= status < 300:
        return (
            Outcome.DELIVERED
            if reply is not None and reply.get("status") == "ok"
            else (Outcome.RETRY_LATER)
        )
    envelope = reply is not None and isinstance(reply.get("error"), str) and "detail" in reply
    if status in REJECTING_STATUSES and envelope:
        return Outcome.REJECTED
    return Outcome.RETRY_LATER


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), capped at an hour."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), 3600.0)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), 3600.0)


class HubClient:
    """Posts heartbeat bodies to the hub."""

    def __init__(
        self,
        hub_url: str,
        api_key: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        retries: int = 2,
        backoff_base: float = 0.5,
        backoff_cap: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        rand: Callable[[], float] = random.random,
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._client = httpx.Client(
            base_url=hub_url.rstrip("/"),
            timeout=timeout,
            transport=transport,
            verify=verify,
            headers={
                "X-API-Key": api_key,
                "Content-Type": "application/json",
                "User-Agent": f"homelab-agent/{__version__}",
            },
        )
        self._retries = retries
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._sleep = sleep
        self._rand = rand

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _timeout_until(self, deadline: float | None) -> httpx.Timeout | None:
        """Every timeout of one attempt, clipped to the time left before `deadline`."""
        if deadline is None:
            return None
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        read = min(self._read_timeout, left)
        return httpx.Timeout(read, connect=min(self._connect_timeout, left))

    def _attempt(self, body: bytes, deadline: float | None = None) -> SendResult:
        timeout = self._timeout_until(deadline)
        if deadline is not None and timeout is None:
            return SendResult(Outcome.RETRY_LATER, "delivery deadline passed before the attempt")
        # Redirects are never followed (httpx's default): the payload stays in the spool.
        request = self._client.build_request(
            "POST", HEARTBEAT_PATH, content=body, timeout=timeout or httpx.USE_CLIENT_DEFAULT
        )
        # The whole reply must arrive by the deadline, or within one connect + read timeout.
        limit = time.monotonic() + self._connect_timeout + self._read_timeout
        read_by = limit if deadline is None else min(deadline, limit)
        try:
            response = self._client.send(request, stream=True)
            try:
                reply = self._read_capped(response, read_by)
            finally:
                response.close()
        except httpx.HTTPError as exc:
            return SendResult(Outcome.RETRY_LATER, f"{type(exc).__name__}: {exc}")
        status = response.status_code
        outcome = classify(status, reply)
        detail = f"HTTP {status}: {(reply or b'').decode('utf-8', 'replace')[:300]}"
        if reply is None:
            detail = f"HTTP {status}: reply over {MAX_REPLY_BYTES} bytes or past the deadline"
        if 300 <= status < 400:
            detail += f" (redirect to {response.headers.get('location', '?')!r} not followed)"
        wait = retry_after_seconds(response.headers.get("retry-after"))
        if outcome is Outcome.DELIVERED and reply is not None:
            return SendResult(outcome, detail, answer=_json_object(reply))
        return SendResult(outcome, detail, wait if outcome is Outcome.RETRY_LATER else None)

    @staticmethod
    def _read_capped(response: httpx.Response, deadline: float) -> bytes | None:
        """The reply body, or None once it passes the cap or the deadline (stop reading)."""
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_REPLY_BYTES:
                return None
            chunks.append(chunk)
            if time.monotonic() >= deadline:
                return None
        return b"".join(chunks)

    def send(self, body: bytes, deadline: float | None = None) -> SendResult:
        """Post one heartbeat, retrying transient failures until `deadline` (monotonic).

        With a deadline, every attempt's connect/read/write/pool timeouts are clipped to the time
        left, and no attempt or backoff sleep starts once it has passed: a hub that accepts
        connections and never answers costs at most the time up to the deadline.
        """
        result = self._attempt(body, deadline)
        for attempt in range(self._retries):
            if result.outcome is not Outcome.RETRY_LATER:
                break
            delay = backoff_delay(attempt, self._backoff_base, self._backoff_cap, self._rand)
            if result.retry_after is not None:  # the hub said when; never sooner
                delay = max(delay, result.retry_after)
            if deadline is not None and time.monotonic() + delay >= deadline:
                break
            log.debug("hub answered %s, retrying in %.2f s", result.detail, delay)
            self._sleep(delay)
            result = self._attempt(body, deadline)
        return result
