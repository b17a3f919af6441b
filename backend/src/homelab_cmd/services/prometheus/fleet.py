"""The fleet's part of /metrics kept in memory: each server's lines, rendered once, joined at
each scrape (docs/prometheus.md, "How it stays fresh").

A scrape that rebuilt every series from the database cost about a millisecond of CPU per server.
Here each server has a block: its lines of every family, built by the same functions the
database-reading collector (exposition.py) uses, so the two cannot disagree. A scrape joins the
blocks family by family; only the parts that change with the clock are decided then (up or not,
and whether an offline server's disk, drive and pool series are left out), plus the firing alert
counts (one grouped query) and this hub's own figures.

A block is rebuilt, from the database, when its server changed:
- the heartbeat writer names the servers of each committed batch (`written`);
- on every scrape and every `poll_seconds` while scraped, one cheap query reads each server's
  last-seen time, newest heartbeat and display name, and the trend table's row count and newest
  computation: a server whose figures differ was written, renamed or deleted, possibly by another
  hub on the same database; changed trends (the maintenance pass, on any hub) re-read the
  forecasts and rebuild the servers whose forecast changed;
- a pool's verdict that changes with time alone (a scrub becoming overdue, a degraded pool's
  hold) rebuilds its server when that instant passes.
Between scrapes a background thread does this work, so a scrape after a round of heartbeats is
still mostly a join; a hub nobody scrapes does none of it (the thread sleeps after
`IDLE_AFTER_SECONDS` without a scrape, and the next scrape brings the blocks up to date itself).
A batch the writer names is rebuilt `GATHER_SECONDS` after it (reading those servers' rows only);
the whole check above runs at each scrape and every `poll_seconds`.

A scrape hands out the blocks' bytes as a list of parts, which the caller joins once with the
rest of the body: the ~14 MB body is copied once a scrape, and each part is only referenced. The
list itself is kept while nothing changed (no block rebuilt, no server going on- or offline).
"""

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client.core import Metric
from sqlalchemy import BigInteger, func, select, type_coerce
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Pool, Server
from homelab_cmd.db.tables import FILESYSTEM_TREND as TREND
from homelab_cmd.db.tables import SERVER
from homelab_cmd.domain.forecast_fields import QUANTITIES, fields_of
from homelab_cmd.domain.pools import DEGRADED_CRITICAL_AFTER, instant
from homelab_cmd.services.drives.metrics import (
    drive_families,
    drive_gauges,
    pool_families,
    pool_gauges,
)
from homelab_cmd.services.forecast.trends import Forecasts, stored_forecasts
from homelab_cmd.services.prometheus.exposition import (
    alert_family,
    filesystem_families,
    filesystem_gauges,
    firing_alert_counts,
    hub_families,
    server_families,
    server_gauges,
)
from homelab_cmd.services.prometheus.text import LabelCache, encode_part, header, sample_line

log = logging.getLogger(__name__)
# Servers rebuilt per query: bounds the IN lists and the rows held at once.
CHUNK = 500
# The background refresh runs while scrapes come at least this often.
IDLE_AFTER_SECONDS = 600.0
# How long the background refresh lets the writer's commits gather before rebuilding them.
GATHER_SECONDS = 0.2
# Forecast fields derived from the clock when read (days until full), never exported: left out
# when deciding whether a server's forecast changed.
_DERIVED = frozenset(f.name(q) for q in QUANTITIES for f in fields_of(q) if not f.stored)
_UP, _SEEN, _INFO = (g.name for g in server_gauges())
# Families served for every server, and those served only while the server is online (its disks,
# drives and pools), each in scrape order. A family none reports is left out, except the state.
_ONLINE_FAMILIES = tuple(g.name for g in (*filesystem_gauges(), *drive_gauges(), *pool_gauges()))
_ALWAYS_SERVED = frozenset({filesystem_gauges()[-1].name})

# (last seen, newest heartbeat, display name): what a write, a rename or a delete changes.
Fingerprint = tuple[int | None, int | None, str | None]


@dataclass(slots=True)
class _Block:
    """One server's lines, by family, as bytes ready to join."""

    fingerprint: Fingerprint
    # When the hub last heard from the server (its fingerprint's first figure).
    seen: datetime | None
    up: bytes
    down: bytes
    lines: dict[str, bytes]
    # When a verdict of its pools may change with time alone (None: never).
    expires: datetime | None = None

    def size(self) -> int:
        """Bytes held by the block's lines."""
        return len(self.up) + len(self.down) + sum(len(v) for v in self.lines.values())


@dataclass
class _Headers:
    """Each family's HELP and TYPE lines in both formats."""

    text: dict[str, bytes] = field(default_factory=dict)
    openmetrics: dict[str, bytes] = field(default_factory=dict)

    def add(self, family: Metric) -> None:
        self.text[family.name] = header(family, openmetrics=False).encode()
        self.openmetrics[family.name] = header(family, openmetrics=True).encode()


def _headers() -> _Headers:
    headers = _Headers()
    for family in (*server_gauges(), *filesystem_gauges(), *drive_gauges(), *pool_gauges()):
        headers.add(family)
    return headers


def _comparable(forecasts: dict[str, dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    return {
        mount: {k: v for k, v in fields.items() if k not in _DERIVED}
        for mount, fields in (forecasts or {}).items()
    }


def _pool_expiry(pools: Iterable[Pool], now: datetime, scrub_max_age: timedelta) -> datetime | None:
    """The next instant a pool's verdict can change without a new reading (domain/pools.py): its
    scrub (or the hub's first sight of it, before any scrub) becoming overdue, a degraded pool's
    warning turning critical."""
    instants = []
    for pool in pools:
        scan = pool.reading.get("scan") or {}
        scrub = scan if scan.get("function") == "scrub" else {}
        last = instant(scrub.get("ended_at") or scrub.get("started_at"))
        instants.append((last or pool.first_seen_at) + scrub_max_age)
        if pool.degraded_since is not None:
            instants.append(pool.degraded_since + DEGRADED_CRITICAL_AFTER)
    return min((at for at in instants if at > now), default=None)


class FleetExposition:
    """The fleet's series (servers, filesystems, drives, pools) kept as per-server blocks."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        offline_after_seconds: int,
        scrub_max_age: timedelta,
        queue_depth: Callable[[], int],
        *,
        poll_seconds: float = 5.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._session_factory = session_factory
        self._offline_after = timedelta(seconds=offline_after_seconds)
        self._scrub_max_age = scrub_max_age
        self._queue_depth = queue_depth
        self._poll_seconds = poll_seconds
        # What "now" is for online status and time-based verdicts (tests set it).
        self.clock = clock
        self._headers = _headers()
        # Held while blocks change or are joined; the writer's hook never waits for it.
        self._lock = threading.Lock()
        self._blocks: dict[str, _Block] = {}
        # Every server in the database's order (as the collector lists them), and when each was
        # last seen.
        self._order: list[str] = []
        self._seen: dict[str, datetime | None] = {}
        # The parts of the last scrape, per format, with which servers were online: kept until
        # a block or the order changes (dropped then, so they never hold replaced blocks).
        self._kept: dict[bool, tuple[tuple[bool, ...], list[bytes], list[bytes]]] = {}
        self._forecasts: dict[str, dict[str, dict[str, Any]]] = {}
        self._trend_mark: tuple[Any, ...] | None = None
        # Servers a writer committed since the last refresh; its own lock, held for a set update
        # at most, so the writer never waits for a refresh.
        self._written: set[str] = set()
        self._written_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._last_scrape = -IDLE_AFTER_SECONDS
        self._thread: threading.Thread | None = None

    # -- hooks ---------------------------------------------------------------------------------

    def written(self, server_ids: Iterable[str]) -> None:
        """The heartbeat writer's hook: these servers' rows were committed. Never blocks."""
        with self._written_lock:
            self._written.update(server_ids)
        self._wake.set()

    def forget(self, server_id: str | None = None) -> None:
        """Drop a server's block (all blocks when None): rebuilt from the database on next use."""
        with self._lock:
            if server_id is None:
                self._blocks.clear()
                self._trend_mark = None
            else:
                self._blocks.pop(server_id, None)
            self._kept.clear()

    # -- the background refresh ---------------------------------------------------------------

    def start(self) -> None:
        """Start the thread that refreshes blocks between scrapes."""
        self._thread = threading.Thread(target=self._run, name="metrics-refresh", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the refresh thread."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _scraped_lately(self) -> bool:
        return time.monotonic() - self._last_scrape < IDLE_AFTER_SECONDS

    def _run(self) -> None:
        polled = time.monotonic()
        while not self._stop.is_set():
            self._wake.wait(max(0.0, polled + self._poll_seconds - time.monotonic()))
            self._wake.clear()
            if self._stop.is_set():
                return
            if not self._scraped_lately():
                polled = time.monotonic()
                continue
            # Let a burst of commits gather, so one refresh covers them.
            self._stop.wait(min(GATHER_SECONDS, self._poll_seconds))
            try:
                if time.monotonic() - polled >= self._poll_seconds:
                    polled = time.monotonic()
                    self.refresh()
                else:
                    self.refresh_written()
            except Exception:  # the next scrape refreshes itself; keep the thread
                log.exception("refreshing the /metrics blocks failed")

    # -- refresh and render -------------------------------------------------------------------

    def refresh(self) -> None:
        """Bring every block up to date with the database."""
        with self._lock, self._session_factory() as session:
            self._refresh(session, self.clock())

    def refresh_written(self) -> None:
        """Rebuild the blocks of the servers the writer named, reading only their rows (the
        whole check, with a new server's place in the order, when one is new)."""
        with self._lock, self._session_factory() as session:
            with self._written_lock:
                written, self._written = self._written, set()
            if not written:
                return
            now = self.clock()
            if not written <= self._blocks.keys():
                with self._written_lock:
                    self._written |= written
                self._refresh(session, now)
                return
            ids = sorted(written)
            for start in range(0, len(ids), CHUNK):
                found = _fingerprints(session, ids[start : start + CHUNK])
                for gone in set(ids[start : start + CHUNK]) - found.keys():  # deleted meanwhile
                    self._drop(gone)
                self._rebuild(session, list(found), found, now)

    def render(self, openmetrics: bool) -> bytes:
        """Every series the database-reading collector yields, in its order and format (without
        OpenMetrics' `# EOF`), after bringing the blocks up to date."""
        return b"".join(self.parts(openmetrics))

    def parts(self, openmetrics: bool) -> list[bytes]:
        """What `render` joins, for a caller that joins them with more (one copy of the body)."""
        self._last_scrape = time.monotonic()
        with self._lock, self._session_factory() as session:
            now = self.clock()
            self._refresh(session, now)
            alerts = encode_part([alert_family(firing_alert_counts(session))], openmetrics)
            hub = encode_part(hub_families(self._queue_depth()), openmetrics)
            servers, storage = self._joined(now, openmetrics)
            return [*servers, alerts or b"", *storage, hub or b""]

    def bytes_held(self) -> int:
        """Bytes of lines held for all servers (the dicts and objects around them excluded)."""
        with self._lock:
            return sum(block.size() for block in self._blocks.values())

    def _joined(self, now: datetime, openmetrics: bool) -> tuple[list[bytes], list[bytes]]:
        """The parts before the alert counts (up, last seen, info) and after them (the online
        servers' storage), kept while the blocks and the servers online stay the same."""
        cutoff = now - self._offline_after
        up = tuple(
            seen is not None and seen >= cutoff for seen in map(self._seen.__getitem__, self._order)
        )
        kept = self._kept.get(openmetrics)
        if kept is not None and kept[0] == up:
            return kept[1], kept[2]
        headers = self._headers.openmetrics if openmetrics else self._headers.text
        blocks = [self._blocks[sid] for sid in self._order]
        servers = [headers[_UP]]
        servers += [block.up if on else block.down for block, on in zip(blocks, up, strict=True)]
        for name in (_SEEN, _INFO):
            servers.append(headers[name])
            servers += [part for block in blocks if (part := block.lines.get(name))]
        online = [block.lines for block, on in zip(blocks, up, strict=True) if on]
        storage: list[bytes] = []
        for name in _ONLINE_FAMILIES:
            parts = [part for lines in online if (part := lines.get(name))]
            if parts or name in _ALWAYS_SERVED:
                storage.append(headers[name])
                storage += parts
        self._kept[openmetrics] = (up, servers, storage)
        return servers, storage

    def _drop(self, server_id: str) -> None:
        self._blocks.pop(server_id, None)
        self._seen.pop(server_id, None)
        if server_id in self._order:
            self._order.remove(server_id)
        self._kept.clear()

    def _refresh(self, session: Session, now: datetime) -> None:
        # Taken before reading: a commit named after this is read by the next refresh.
        with self._written_lock:
            written, self._written = self._written, set()
        fingerprints = _fingerprints(session)
        stale = written | self._forecasts_changed(session, now)
        todo = [
            sid
            for sid, fingerprint in fingerprints.items()
            if sid in stale
            or (block := self._blocks.get(sid)) is None
            or block.fingerprint != fingerprint
            or (block.expires is not None and block.expires <= now)
        ]
        for gone in self._blocks.keys() - fingerprints.keys():
            del self._blocks[gone]
            self._kept.clear()
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            self._rebuild(session, chunk, {sid: fingerprints[sid] for sid in chunk}, now)
        order = [sid for sid in fingerprints if sid in self._blocks]
        if order != self._order:
            self._order = order
            self._kept.clear()
        self._seen = {sid: self._blocks[sid].seen for sid in order}

    def _forecasts_changed(self, session: Session, now: datetime) -> set[str]:
        """Servers whose stored forecast changed since the last look (the trend pass stamps
        every row it writes)."""
        mark = tuple(session.execute(select(func.count(), func.max(TREND.c.computed_at))).one())
        if mark == self._trend_mark:
            return set()
        self._trend_mark = mark
        by_server: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for (sid, mount), fields in stored_forecasts(session, now).items():
            by_server[sid][mount] = fields
        changed = {
            sid
            for sid in by_server.keys() | self._forecasts.keys()
            if _comparable(by_server.get(sid)) != _comparable(self._forecasts.get(sid))
        }
        self._forecasts = dict(by_server)
        return changed

    def _rebuild(
        self,
        session: Session,
        ids: Sequence[str],
        fingerprints: dict[str, Fingerprint],
        now: datetime,
    ) -> None:
        if not ids:
            return
        self._kept.clear()
        servers = list(session.scalars(select(Server).where(Server.id.in_(ids))))
        forecasts: Forecasts = {
            (sid, mount): fields
            for sid in ids
            for mount, fields in self._forecasts.get(sid, {}).items()
        }
        every = set(ids)
        # Built as though every server were online: the scrape leaves offline ones out.
        up, *families = [
            *server_families(servers, lambda _: True),
            *filesystem_families(servers, forecasts, now),
            *drive_families(session, every, ids),
            *pool_families(session, every, now, self._scrub_max_age, ids),
        ]
        cache: LabelCache = {}
        lines: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for family in families:
            for sample in family.samples:
                lines[sample.labels["server"]][family.name].append(sample_line(sample, cache))
        pools: dict[str, list[Pool]] = defaultdict(list)
        for pool in session.scalars(select(Pool).where(Pool.server_id.in_(ids))):
            pools[pool.server_id].append(pool)
        for sample in up.samples:
            sid = sample.labels["server"]
            line = sample_line(sample, cache)
            seen = fingerprints[sid][0]
            self._blocks[sid] = _Block(
                fingerprint=fingerprints[sid],
                seen=None if seen is None else datetime.fromtimestamp(seen, UTC),
                up=line.encode(),
                down=sample_line(sample._replace(value=0.0), cache).encode(),
                lines={name: "".join(text).encode() for name, text in lines[sid].items()},
                expires=_pool_expiry(pools[sid], now, self._scrub_max_age),
            )
            if sid in self._seen:
                self._seen[sid] = self._blocks[sid].seen


def _fingerprints(session: Session, ids: Sequence[str] | None = None) -> dict[str, Fingerprint]:
    """Each server's fingerprint (of the servers named, or all), in the database's order."""
    query = select(
        SERVER.c.id,
        type_coerce(SERVER.c.last_seen_at, BigInteger),
        type_coerce(SERVER.c.latest_heartbeat_at, BigInteger),
        SERVER.c.display_name,
    ).order_by(SERVER.c.id)
    if ids is not None:
        query = query.where(SERVER.c.id.in_(ids))
    return {row[0]: (row[1], row[2], row[3]) for row in session.execute(query)}
