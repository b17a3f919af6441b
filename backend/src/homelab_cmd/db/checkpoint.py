"""Background WAL checkpoints for SQLite, so the heartbeat writer never pays for them.

SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, and with
every sample landing on its own filesystem's page that commit stalls for tens of milliseconds.
A PASSIVE checkpoint from another connection copies committed pages to the database file
without blocking the writer; the automatic one stays as a safety net at a much larger size.
"""

import logging
import threading

from sqlalchemy import Engine, text

log = logging.getLogger(__name__)


class WalCheckpointer:
    """A passive checkpoint at most every `interval_seconds` after commits; idle when nothing is.

    Small, frequent checkpoints keep each fsync short; on anything but SQLite it does nothing.
    """

    def __init__(self, engine: Engine, interval_seconds: float = 0.1) -> None:
        self._engine = engine
        self._interval = interval_seconds
        self._stop = threading.Event()
        self._committed = threading.Event()
        self._thread: threading.Thread | None = None

    def committed(self) -> None:
        """Tell the checkpointer new pages are in the WAL."""
        self._committed.set()

    def start(self) -> None:
        """Start the thread when the database is SQLite."""
        if self._engine.dialect.name != "sqlite":
            return
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread."""
        self._stop.set()
        self._committed.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def checkpoint(self) -> None:
        """One passive checkpoint; a failure is logged and retried next time."""
        try:
            with self._engine.connect() as conn:
                conn.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))
        except Exception:
            log.exception("WAL checkpoint failed")

    def _run(self) -> None:
        while True:
            self._committed.wait()
            if self._stop.is_set():
                return
            self._committed.clear()
            self.checkpoint()
            self._stop.wait(self._interval)
