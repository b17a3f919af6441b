"""The writer's request deadlines: one timer per loop gives up exactly the requests still
waiting when their own deadline passes, in the order they were queued."""

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

from homelab_cmd.services.ingest.deadlines import Deadlines


@dataclass(eq=False)
class _Request:
    name: str
    waiter: "asyncio.Future[Any] | None" = None
    expired_at: float | None = field(default=None)


def test_only_requests_still_waiting_at_their_deadline_are_given_up() -> None:
    async def scenario() -> tuple[list[str], dict[str, float], float]:
        loop = asyncio.get_running_loop()
        expired: list[str] = []

        def expire(request: _Request) -> None:
            request.expired_at = loop.time()
            expired.append(request.name)
            assert request.waiter is not None
            request.waiter.set_exception(TimeoutError(request.name))

        deadlines: Deadlines[_Request] = Deadlines(loop, 0.2, expire)
        start = loop.time()
        requests = {name: _Request(name, loop.create_future()) for name in "abcd"}
        for name in "ab":
            deadlines.watch(requests[name])
        await asyncio.sleep(0.1)
        for name in "cd":
            deadlines.watch(requests[name])
        requests["a"].waiter.set_result("stored")  # type: ignore[union-attr]
        requests["c"].waiter.cancel()  # type: ignore[union-attr]
        for request in requests.values():
            assert request.waiter is not None
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await request.waiter
        times = {r.name: r.expired_at - start for r in requests.values() if r.expired_at}
        return expired, times, loop.time() - start

    expired, times, _ = asyncio.run(scenario())
    assert expired == ["b", "d"]
    # Each at its own deadline (0.2 s after it was watched), not at the first one's.
    assert 0.19 <= times["b"] < times["d"]
    assert times["d"] >= 0.29


def test_settled_requests_leave_the_queue_as_later_ones_are_watched() -> None:
    async def scenario() -> int:
        loop = asyncio.get_running_loop()
        deadlines: Deadlines[_Request] = Deadlines(loop, 60, lambda _: None)
        for n in range(1000):
            request = _Request(str(n), loop.create_future())
            deadlines.watch(request)
            assert request.waiter is not None
            request.waiter.set_result("stored")
        return len(deadlines)

    assert asyncio.run(scenario()) == 1
