"""Work another thread hands the heartbeat writer: run on the writer's own connection, in its
thread, between its batches.

On SQLite a commit made by one connection discards every other connection's page cache at its
next transaction (the pager sees that the database changed and starts afresh). Each alert pass
that moved an alert used to commit on a connection of its own, so the writer's next batch read
its pages again: ~3.8 ms of CPU after each such commit for a batch of 50 servers (measured),
more than the pass itself. A pass run on the writer's connection leaves that cache warm.
"""

from collections.abc import Callable
from concurrent.futures import Future
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine

R = TypeVar("R")

# How often a caller waiting for the writer checks that it is still running.
ALIVE_CHECK_SECONDS = 1.0


class WriterCall(Generic[R]):
    """A function of a connection, run once: by the writer, or by its caller when the writer
    stopped before taking it."""

    def __init__(self, fn: Callable[[Connection], R]) -> None:
        self._fn = fn
        self._done: Future[R] = Future()

    def run(self, conn: Connection) -> None:
        """In the writer's thread, on its connection (unless the caller ran it meanwhile)."""
        if not self._done.set_running_or_notify_cancel():
            return
        try:
            result = self._fn(conn)
        except BaseException as exc:  # noqa: BLE001  (handed to the caller, who raises it)
            self._done.set_exception(exc)
        else:
            self._done.set_result(result)

    def fail(self, exc: BaseException) -> None:
        """In the writer's thread: no connection to run it on (the database is down)."""
        if self._done.set_running_or_notify_cancel():
            self._done.set_exception(exc)

    def here(self, engine: Engine) -> R:
        """Run it in the caller's thread on a connection of its own."""
        with engine.connect() as conn:
            return self._fn(conn)

    def result(self, running: Callable[[], bool], engine: Engine) -> R:
        """Wait for the writer to run it: its result, or its exception raised here. When the
        writer stops without having taken it, it is run here instead."""
        while True:
            try:
                return self._done.result(timeout=ALIVE_CHECK_SECONDS)
            except TimeoutError:
                if self._done.done():
                    raise  # the function's own TimeoutError
                # Not taken by a writer that stopped, nor will it be (cancel fails once taken).
                if not running() and self._done.cancel():
                    return self.here(engine)
