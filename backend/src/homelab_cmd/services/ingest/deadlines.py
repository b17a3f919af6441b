"""The writer's deadline for every waiting request of one event loop, kept by one timer.

`asyncio.timeout` around each request's wait scheduled and cancelled a timer per heartbeat
(about 4 % of the event loop's CPU under load). Every request waits the same number of seconds,
so their deadlines fall in the order they were queued: a queue of them, and one timer set for
the oldest, do the same work.
"""

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar


class Waiting(Protocol):
    """A queued heartbeat's request, as far as its deadline goes."""

    @property
    def waiter(self) -> "asyncio.Future[Any] | None": ...


J = TypeVar("J", bound=Waiting)


class Deadlines(Generic[J]):
    """Gives each watched request up (`expire`) once `seconds` have passed without its answer.

    Runs on `loop` only. A request answered or cancelled before its deadline is dropped from
    the queue's head as later ones are watched; one answered behind a request still waiting
    stays until that one is settled. The writer answers in queue order, so the queue holds
    about the requests in flight, and `seconds` worth of requests at most.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        seconds: float,
        expire: Callable[[J], None],
    ) -> None:
        self.loop = loop
        self._seconds = seconds
        self._expire = expire
        self._queue: deque[tuple[float, J]] = deque()
        self._timer: asyncio.TimerHandle | None = None

    def __len__(self) -> int:
        """Requests in the queue (the settled ones at its head not dropped yet included)."""
        return len(self._queue)

    def watch(self, job: J) -> None:
        queue = self._queue
        while queue and _settled(queue[0][1]):
            queue.popleft()
        queue.append((self.loop.time() + self._seconds, job))
        if self._timer is None:
            self._timer = self.loop.call_at(queue[0][0], self._sweep)

    def _sweep(self) -> None:
        self._timer = None
        queue = self._queue
        now = self.loop.time()
        while queue and (queue[0][0] <= now or _settled(queue[0][1])):
            _, job = queue.popleft()
            if not _settled(job):
                self._expire(job)
        if queue:
            self._timer = self.loop.call_at(queue[0][0], self._sweep)


def _settled(job: Waiting) -> bool:
    return job.waiter is None or job.waiter.done()
