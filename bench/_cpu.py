"""CPU seconds of a process tree and of the PostgreSQL backends serving one database, from /proc.

CPU per heartbeat is the figure that survives a busy machine: throughput and latency move with
whatever else shares the cores, the CPU a heartbeat costs much less so.
"""

import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

import psycopg

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, reaped children's CPU seconds), or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: the fields start after the last ")".
    fields = text[text.rindex(")") + 2 :].split()
    # proc(5): fields 4 (ppid), 14/15 (utime, stime), 16/17 (cutime, cstime), counted from 1.
    ppid, utime, stime, cutime, cstime = (int(fields[i - 3]) for i in (4, 14, 15, 16, 17))
    return ppid, (utime + stime) / TICK, (cutime + cstime) / TICK


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` (all its threads), its live descendants and reaped children."""
    parents: dict[int, int] = {}
    own: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = stat[0]
            own[int(entry.name)] = stat[1] + stat[2]
    if pid not in own:
        raise ProcessLookupError(pid)
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += own.get(current, 0.0)
        todo += [child for child, parent in parents.items() if parent == current]
    return total


def wait_quiet(
    pids: list[int], below: float = 0.05, window: float = 0.25, at_most: float = 5.0
) -> float:
    """Wait until these process trees use less than `below` of a core over `window` seconds
    together (at most `at_most` seconds); the seconds waited.

    Work a step set off in the background (the alert passes over servers first seen) is then
    done before the next step is measured, rather than counted in it.
    """
    started = time.monotonic()
    while time.monotonic() - started < at_most:
        before = sum(tree_cpu_seconds(pid) for pid in pids)
        time.sleep(window)
        if sum(tree_cpu_seconds(pid) for pid in pids) - before < below * window:
            return time.monotonic() - started
    print(f"the hub was still busy after {at_most:.0f} s; measuring anyway", file=sys.stderr)
    return time.monotonic() - started


class ProcessCpu:
    """CPU a process tree used between start() and stop()."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._start = 0.0
        self.seconds = 0.0

    def start(self) -> None:
        self._start = tree_cpu_seconds(self.pid)

    def stop(self) -> float:
        self.seconds = tree_cpu_seconds(self.pid) - self._start
        return self.seconds


class PostgresCpu:
    """CPU of the PostgreSQL backends connected to one database, polled while a run goes on.

    Backends are found by `pg_stat_activity.datname`, so other databases on the same server (other
    people's tests) do not count; the server's shared processes (WAL writer, checkpointer,
    background writer) do not either, as they serve every database alike. A backend that exits
    between two polls loses at most one poll interval of its CPU; the hub's pooled connections
    live for the whole run. `seconds` is None when the server is not on this machine.
    """

    def __init__(self, database_url: str, interval: float = 0.25) -> None:
        # One connection of its own for the whole run (excluded from the sum), so that polling
        # does not start backends of its own on the measured database.
        self._url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
        self._interval = interval
        self._baseline: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._local = False
        self.seconds: float | None = None

    def _query(self, sql: str) -> list[int]:
        return [row[0] for row in self._conn.execute(sql)]

    def _is_local(self) -> bool:
        # The server's pid for our own connection names a postgres process here, or it is remote.
        pid = self._query("SELECT pg_backend_pid()")[0]
        try:
            return Path(f"/proc/{pid}/comm").read_text().strip() == "postgres"
        except OSError:
            return False

    def _backends(self) -> dict[int, float]:
        pids = self._query(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        # A backend gone between the query and the read is skipped (its last poll stays).
        return {pid: stat[1] for pid in pids if (stat := _stat(pid)) is not None}

    def _poll(self) -> None:
        while not self._halt.wait(self._interval):
            self._last.update(self._backends())

    def __enter__(self) -> "PostgresCpu":
        self._conn = psycopg.connect(self._url, autocommit=True)
        self._local = self._is_local()
        if not self._local:
            return self
        self._baseline = self._backends()
        self._last = dict(self._baseline)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._local:
            self._halt.set()
            self._thread.join()
            self._last.update(self._backends())
        self._conn.close()
        if not self._local:
            return
        # A backend first seen after the start started after it: all its CPU belongs to the run.
        self.seconds = sum(cpu - self._baseline.get(pid, 0.0) for pid, cpu in self._last.items())


def per_heartbeat_ms(seconds: float | None, heartbeats: int) -> str:
    """CPU seconds as milliseconds per stored heartbeat, for the benchmarks' printouts."""
    if seconds is None or not heartbeats:
        return "n/a"
    return f"{seconds / heartbeats * 1000:.3f} ms"


def load_average() -> str:
    """The machine's load average, printed with figures taken while others may use it."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min, {os.cpu_count()} cores)"
