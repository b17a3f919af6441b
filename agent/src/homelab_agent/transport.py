"""Delivery to the hub: httpx with explicit timeouts, retries with backoff and jitter."""

from __future__ import annotations

import enum
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from homelab_agent import __version__

log = logging.getLogger(__name__)

HEARTBEAT_PATH = "/api/v1/agents/heartbeat"


class Outcome(enum.Enum):
    """What became of one delivery attempt."""

    DELIVERED = "delivered"  # 2xx: the hub stored it
    UNAUTHORIZED = "unauthorized"  # 401/403: keep it, the key must be fixed
    REJECTED = "rejected"  # another 4xx: this payload will never be accepted
    RETRY_LATER = "retry_later"  # 5xx, 429 or no connection: keep it and try again


@dataclass(frozen=True)
class SendResult:
    """Outcome plus what to log."""

    outcome: Outcome
    detail: str


def backoff_delay(attempt: int, base: float, cap: float, rand: Callable[[], float]) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base·2^attempt)]."""
    return float(rand() * min(cap, base * (2**attempt)))


def classify(status: int) -> Outcome:
    """Map an HTTP status to what the spool should do with the payload."""
    if 200 <= status < 300:
        return Outcome.DELIVERED
    if status in (401, 403):
        return Outcome.UNAUTHORIZED
    if status in (408, 429) or status >= 500:
        return Outcome.RETRY_LATER
    return Outcome.REJECTED


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
    ) -> None:
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._client = httpx.Client(
            base_url=hub_url.rstrip("/"),
            timeout=timeout,
            transport=transport,
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
        try:
            if timeout is None:
                response = self._client.post(HEARTBEAT_PATH, content=body)
            else:
                response = self._client.post(HEARTBEAT_PATH, content=body, timeout=timeout)
        except httpx.HTTPError as exc:
            return SendResult(Outcome.RETRY_LATER, f"{type(exc).__name__}: {exc}")
        return SendResult(
            classify(response.status_code), f"HTTP {response.status_code}: {response.text[:300]}"
        )

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
            if deadline is not None and time.monotonic() + delay >= deadline:
                break
            log.debug("hub answered %s, retrying in %.2f s", result.detail, delay)
            self._sleep(delay)
            result = self._attempt(body, deadline)
        return result
