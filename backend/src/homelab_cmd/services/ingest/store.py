"""Storing heartbeats in the caller's transaction; the writer commits before the agent hears 2xx.

Wire units stop here: metrics are converted to the hub's units by the catalogue in
`domain/metrics.py` before they reach a row or the latest snapshot.
"""

import functools
import logging
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, func, select
from sqlalchemy.engine import Dialect

from homelab_cmd.db.driver_sql import DriverStatement, number_array
from homelab_cmd.db.tables import ROLLUP_QUEUE, SERVER
from homelab_cmd.db.upsert import insert_ignore, insert_or_lock
from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.domain.metrics import SERVER_METRICS, from_wire
from homelab_cmd.errors import (
    HomelabError,
    ReplayTooClose,
    ServerLimitReached,
    TimestampInFuture,
    Unauthorized,
)
from homelab_cmd.schemas.heartbeat import (
    CapacityDomain,
    FilesystemMetric,
    HeartbeatRequest,
    MetricsPayload,
)
from homelab_cmd.schemas.usage import UsageScanOrder
from homelab_cmd.services.drives.store import store_drives, store_pools
from homelab_cmd.services.ingest.budgets import HeartbeatBudgets, WarningBoard
from homelab_cmd.services.ingest.filesystem_rows import CACHE_ENTRIES, FilesystemRows
from homelab_cmd.services.ingest.limits import Limits
from homelab_cmd.services.ingest.pending import (
    SAMPLED_METRICS,
    MetricRows,
    PendingWrites,
    Sample,
)
from homelab_cmd.services.lru import Lru
from homelab_cmd.services.usage.requests import OPENED
from homelab_cmd.services.usage.store import any_open_order, open_orders, store_usage

log = logging.getLogger(__name__)
# How long "no server has an open usage-scan request" is believed before it is read again. A
# request made through this process's API is seen at once (usage/requests.py OPENED); one made
# by another hub process or the maintenance pass waits at most this long for a heartbeat to
# list it.
NO_ORDERS_RECHECK_SECONDS = 1.0
FILESYSTEM_LIST = TypeAdapter(list[FilesystemMetric])
COLLECTOR_ERRORS = TypeAdapter(dict[str, str])
DOMAIN_LIST = TypeAdapter(list[CapacityDomain])
HUB_METRICS = TypeAdapter(dict[str, float | int | None])
EMPTY_METRICS = MetricsPayload()
# Raw samples keep a filesystem's inode figures at most once per this many seconds. Inode counts
# move slowly and only feed the hourly tier's forecast; in every sample they would take a raw
# row from ~38 to ~48 bytes, in one of ten ~41.
INODE_SAMPLE_SECONDS = 600
NO_INODES: tuple[None, None] = (None, None)
# What a heartbeat may be refused in the writer's transaction, always before it wrote anything.
REFUSALS = (ServerLimitReached, Unauthorized, ReplayTooClose)
# A heartbeat as the writer stores it: when it was received, and the id of the agent token it
# came with (None: it came with the admin key).
Arrival = tuple[HeartbeatRequest, datetime, int | None]


@dataclass
class _Batch:
    """What `HeartbeatStore.batched` keeps while its block runs."""

    writes: PendingWrites = field(default_factory=PendingWrites)
    # (server id, token id) of the batch checked when it began, and those found valid.
    checked: set[tuple[str, int]] = field(default_factory=set)
    valid: set[tuple[str, int]] = field(default_factory=set)


@dataclass(frozen=True)
class _Admitted:
    """A heartbeat that passed its checks, between its metric row's insert and its other rows."""

    heartbeat: HeartbeatRequest
    received_at: datetime
    at: datetime
    metrics: dict[str, Any]
    registered: bool
    # (server id, epoch seconds) of its metric row; None when an earlier one of the batch had it.
    key: tuple[str, int] | None


@dataclass(frozen=True)
class StoredHeartbeat:
    server_registered: bool
    duplicate: bool
    # The server's open usage-scan requests, for the heartbeat's answer (ADR 0005).
    usage_scan_requests: tuple[UsageScanOrder, ...] = ()


def heartbeat_instant(heartbeat: HeartbeatRequest) -> datetime:
    """The heartbeat's timestamp (UTC once validated), whole seconds: the storage resolution."""
    return heartbeat.timestamp.replace(microsecond=0)


def check_clock(heartbeat: HeartbeatRequest, now: datetime, max_skew_seconds: int) -> None:
    """Reject timestamps ahead of the hub clock by more than the allowed skew."""
    ahead = (heartbeat_instant(heartbeat) - now).total_seconds()
    if ahead > max_skew_seconds:
        raise TimestampInFuture(
            f"timestamp is {ahead:.0f} s ahead of the hub clock (allowed: {max_skew_seconds} s); "
            "check the agent host's clock (NTP)"
        )


def latest_filesystems(heartbeat: HeartbeatRequest) -> list[FilesystemMetric]:
    """The heartbeat's filesystems, one per mount point; a later entry shadows an earlier one."""
    by_mount: dict[str, FilesystemMetric] = {}
    for fs in heartbeat.filesystems or []:
        by_mount.pop(fs.mount_point, None)
        by_mount[fs.mount_point] = fs
    # The hub's own percent, as df shows it, whatever the agent computed (a copy only where it
    # differs: this agent computes the same).
    kept = []
    for fs in by_mount.values():
        percent = fs.derived_percent()
        # -0.0 equals 0.0 but would be stored and served as "-0.0"; the hub's own is never
        # negative.
        same = fs.percent == percent and math.copysign(1.0, fs.percent) > 0
        kept.append(fs if same else fs.model_copy(update={"percent": percent}))
    return kept


def check_credential(conn: Connection, server_id: str, token_id: int) -> None:
    """Refuse a heartbeat whose agent token was revoked or whose server was deleted meanwhile.

    Run in the writer's transaction before anything is written, so a heartbeat authenticated
    just before its server was deleted cannot bring the server back. On PostgreSQL the server
    row is share-locked: a delete waits for this commit and then removes what it wrote. On
    SQLite a delete committed after this read makes the transaction's first write fail (its
    snapshot is stale), and the heartbeat's retry alone then reads the deletion.
    """
    if not valid_credentials(conn, [(server_id, token_id)]):
        raise _revoked(server_id)


# A batch's (server, agent token) pairs still valid, in one read: on PostgreSQL the tokens as one
# array (one statement text whatever their count, prepared once), on SQLite a placeholder each.
_CREDENTIALS = (
    "SELECT server.id, api_token.id FROM server JOIN api_token ON api_token.server_id = server.id "
    "WHERE api_token.revoked_at IS NULL AND api_token.id {tokens} ORDER BY server.id"
)
POSTGRES_CREDENTIALS = DriverStatement(
    _CREDENTIALS.format(tokens="= ANY(:tokens::integer[])") + " FOR KEY SHARE OF server"
)


@functools.lru_cache(maxsize=64)
def _sqlite_credentials(count: int) -> DriverStatement:
    return DriverStatement(
        _CREDENTIALS.format(tokens=f"IN ({', '.join(f':t{i}' for i in range(count))})")
    )


@functools.lru_cache(maxsize=8)
def _queue_rollup(dialect: Dialect) -> DriverStatement:
    # insert_or_lock's own SQL (db/upsert.py), rendered once and run on the driver: through
    # SQLAlchemy's execution it cost the writer more than the insert.
    dialect_class: Any = type(dialect)  # a concrete dialect: its init takes a paramstyle
    named = dialect_class(paramstyle="named")
    return DriverStatement(
        str(insert_or_lock(ROLLUP_QUEUE, named, "hour_start_at").compile(dialect=named))
    )


def valid_credentials(
    conn: Connection, credentials: Iterable[tuple[str, int]]
) -> set[tuple[str, int]]:
    """The (server id, token id) pairs whose token is still valid and server still there, in
    one read (check_credential's, for a whole batch).

    Their servers' rows are share-locked on PostgreSQL, in id order so that two hubs' batches
    lock them alike.
    """
    wanted = set(credentials)
    if not wanted:
        return set()
    tokens = sorted({token for _, token in wanted})
    if conn.dialect.name == "postgresql":
        rows = POSTGRES_CREDENTIALS.run(conn, {"tokens": number_array(tokens)})
    else:
        rows = _sqlite_credentials(len(tokens)).run(
            conn, {f"t{i}": token for i, token in enumerate(tokens)}
        )
    return {(server, token) for server, token in rows.fetchall()} & wanted


def _revoked(server_id: str) -> Unauthorized:
    return Unauthorized(
        f"the agent token of {server_id!r} was revoked or its server deleted; enroll the host again"
    )


class HeartbeatStore:
    """Writes heartbeats; caches ids it has seen so a steady fleet costs few lookups.

    Caches hold only facts that stay true until a server is deleted; `forget_server` drops them.
    Both are LRU-bounded, so a flood of invented servers or mount points cannot grow the hub.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._servers: Lru[str, bool] = Lru(self.limits.servers)
        # Budget refusals and retirements noted for the servers' pages (written by the writer).
        self.warnings = WarningBoard()
        self.budgets = HeartbeatBudgets(self.limits)
        self._rows = FilesystemRows(
            self.limits.filesystems_per_server,
            lambda server_id, warning: self.warnings.note(server_id, warning, datetime.now(UTC)),
        )
        # filesystem id -> epoch seconds of the last sample that kept its inode figures
        self._inodes_kept: Lru[int, int] = Lru(CACHE_ENTRIES)
        # Inside `batched`: its credentials, and the samples and snapshots written at its end.
        self._batch: _Batch | None = None
        # time.monotonic() until which no open usage-scan request is known to exist, and
        # OPENED.count when that was read.
        self._no_orders_until = 0.0
        self._no_orders_opened = -1

    @contextmanager
    def batched(
        self, conn: Connection, credentials: Iterable[tuple[str, int]] = ()
    ) -> Iterator[None]:
        """Store several heartbeats in `conn`'s transaction, their samples and snapshots together.

        Each heartbeat's reads and the writes whose answer decides anything (its credential,
        its metrics row: new or a replay) still happen in `store_many`; samples and snapshots
        are written when the block ends without an error. `credentials`, the batch's (server
        id, agent token id), are checked together first, in one read.
        """
        checked = set(credentials)
        self._batch = _Batch(checked=checked, valid=valid_credentials(conn, checked))
        try:
            yield
            self._batch.writes.flush(conn)
        finally:
            self._batch = None

    def forget_server(self, server_id: str) -> None:
        """Drop cached ids of a server (after it was deleted)."""
        self._servers.pop(server_id)
        self._rows.forget_server(server_id)

    def forget_all(self) -> None:
        """Drop every cached id (after a failed transaction)."""
        self._servers.clear()
        self._rows.forget_all()
        self._inodes_kept.clear()

    def store(
        self,
        conn: Connection,
        heartbeat: HeartbeatRequest,
        received_at: datetime,
        token_id: int | None = None,
    ) -> StoredHeartbeat:
        """Store one heartbeat in the caller's transaction (store_many), or raise its refusal."""
        outcome = self.store_many(conn, [(heartbeat, received_at, token_id)])[0]
        if isinstance(outcome, HomelabError):
            raise outcome
        return outcome

    def store_many(
        self, conn: Connection, arrivals: Sequence[Arrival]
    ) -> list[StoredHeartbeat | HomelabError]:
        """Store heartbeats in their order inside the caller's transaction, each with its answer.

        A heartbeat refused here (REFUSALS) wrote nothing and gets its error as its answer.
        Each heartbeat is checked in turn (its agent token still valid and its server still
        there, in this very transaction; its replay spacing; the server cap), then the metric
        rows of all go in one statement, whose answer says which heartbeats are new: only those
        write samples, snapshot, drives, pools and scans, in order; a replay is a sighting.
        """
        rows = MetricRows()
        checked: list[_Admitted | HomelabError] = []
        for heartbeat, received_at, token_id in arrivals:
            try:
                checked.append(self._admit(conn, rows, heartbeat, received_at, token_id))
            except REFUSALS as exc:
                checked.append(exc)
        rows.insert(conn)
        writes = self._batch.writes if self._batch is not None else PendingWrites()
        outcomes: list[StoredHeartbeat | HomelabError] = []
        for item in checked:
            if isinstance(item, HomelabError):
                outcomes.append(item)
            elif item.key in rows.inserted:
                self._write(conn, item, writes)
                outcomes.append(StoredHeartbeat(server_registered=item.registered, duplicate=False))
            else:
                seen = _epoch(item.received_at)
                writes.servers.append({"id": item.heartbeat.server_id, "seen": seen})
                outcomes.append(StoredHeartbeat(server_registered=item.registered, duplicate=True))
        if self._batch is None:
            writes.flush(conn)
        return outcomes

    def _admit(
        self,
        conn: Connection,
        rows: MetricRows,
        heartbeat: HeartbeatRequest,
        received_at: datetime,
        token_id: int | None,
    ) -> _Admitted:
        """A heartbeat's checks, in the order they ran one by one; its metric row queued."""
        at = heartbeat_instant(heartbeat)
        if token_id is not None:
            self._check_credential(conn, heartbeat.server_id, token_id)
        limits = self.limits
        if (
            limits.replay_spacing_seconds
            and (received_at - at).total_seconds() > limits.replay_after_seconds
        ):
            # A replay's spacing is read from the table (check_spacing, which reads for these
            # only): the rows queued before it go in first, so that it sees the batch's earlier
            # heartbeats as it would have had they been stored one by one.
            rows.insert(conn)
        self.budgets.check_spacing(conn, heartbeat.server_id, at, received_at)
        registered = self._ensure_server(conn, heartbeat, received_at)
        metrics = hub_metrics(heartbeat.metrics or EMPTY_METRICS)
        key = rows.claim(_metric_row(heartbeat, metrics, at))
        return _Admitted(heartbeat, received_at, at, metrics, registered, key)

    def _write(self, conn: Connection, item: _Admitted, writes: PendingWrites) -> None:
        """The rows of a new heartbeat: samples and snapshot with the batch's, the rest now."""
        heartbeat, at = item.heartbeat, item.at
        filesystems = latest_filesystems(heartbeat)
        if filesystems:
            self._store_samples(conn, heartbeat.server_id, filesystems, at, writes)
        self._update_snapshot(
            heartbeat,
            metrics=item.metrics,
            filesystems=filesystems,
            at=at,
            received_at=item.received_at,
            writes=writes,
        )
        # Absent: no drive or pool pass since the last heartbeat, the hub keeps what it had.
        if heartbeat.drives is not None:
            store_drives(conn, heartbeat.server_id, heartbeat.drives, at)
        if heartbeat.pools is not None:
            store_pools(conn, heartbeat.server_id, heartbeat.pools, at)
        if heartbeat.usage_scans or heartbeat.usage_scan_running is not None:
            store_usage(
                conn, heartbeat.server_id, heartbeat.usage_scans, heartbeat.usage_scan_running, at
            )

    def _check_credential(self, conn: Connection, server_id: str, token_id: int) -> None:
        """check_credential, answered by the batch's one read when it covered this pair."""
        if self._batch is None or (server_id, token_id) not in self._batch.checked:
            check_credential(conn, server_id, token_id)
        elif (server_id, token_id) not in self._batch.valid:
            raise _revoked(server_id)

    def with_usage_orders(
        self,
        conn: Connection,
        answers: list[tuple[str, StoredHeartbeat | BaseException]],
        now: datetime,
    ) -> list[StoredHeartbeat | BaseException]:
        """A batch's answers, by server, each with its server's open usage-scan requests.

        One indexed read for the whole batch (few servers have an open request), in the
        batch's transaction, so a request a scan of this batch answered is not listed again;
        none while no server has an open request (read at most once a
        NO_ORDERS_RECHECK_SECONDS).
        """
        # Read before the query: a request committed after it moves the count.
        opened = OPENED.count
        if opened == self._no_orders_opened and time.monotonic() < self._no_orders_until:
            return [answer for _, answer in answers]
        if not any_open_order(conn, now):
            self._no_orders_until = time.monotonic() + NO_ORDERS_RECHECK_SECONDS
            self._no_orders_opened = opened
            return [answer for _, answer in answers]
        servers = {sid for sid, answer in answers if isinstance(answer, StoredHeartbeat)}
        orders = open_orders(conn, servers, now)
        return [
            replace(answer, usage_scan_requests=tuple(orders[sid]))
            if isinstance(answer, StoredHeartbeat) and sid in orders
            else answer
            for sid, answer in answers
        ]

    def queue_rollups(self, conn: Connection, instants: set[datetime]) -> None:
        """Mark the hours of newly stored data for the rollup job."""
        hours = sorted({_epoch(at.replace(minute=0, second=0)) for at in instants})
        # An upsert, not DO NOTHING: it locks an hour already queued, so a rollup claiming that
        # hour on PostgreSQL waits for this commit and then sees these samples. Ascending order
        # keeps the lock order the same as the rollup's.
        _queue_rollup(conn.dialect).run(conn, [{"hour_start_at": h} for h in hours])

    def _ensure_server(
        self, conn: Connection, heartbeat: HeartbeatRequest, received_at: datetime
    ) -> bool:
        if self._servers.get(heartbeat.server_id):
            return False
        known = conn.execute(select(SERVER.c.id).where(SERVER.c.id == heartbeat.server_id)).first()
        if known is None:
            count = conn.execute(select(func.count()).select_from(SERVER)).scalar_one()
            if count >= self.limits.servers:
                raise ServerLimitReached(
                    f"the hub holds {count} servers, its limit (HOMELAB_CMD_MAX_SERVERS); "
                    f"{heartbeat.server_id!r} is not registered until one is deleted"
                )
        row = {
            "id": heartbeat.server_id,
            "hostname": heartbeat.hostname,
            "created_at": received_at,
            "last_seen_at": received_at,
        }
        created = (
            conn.execute(insert_ignore(SERVER, conn.dialect).returning(SERVER.c.id), row).first()
            is not None
        )
        self._servers.put(heartbeat.server_id, True)
        return created

    def _store_samples(
        self,
        conn: Connection,
        server_id: str,
        filesystems: list[FilesystemMetric],
        at: datetime,
        writes: PendingWrites,
    ) -> None:
        ids = self._rows.ids(conn, server_id, filesystems, at, writes)
        epoch = _epoch(at)
        rows: list[Sample] = [
            (
                fs_id,
                epoch,
                fs.total_bytes,
                fs.used_bytes,
                fs.available_bytes,
                *self._inodes(fs_id, fs, epoch),
            )
            for fs_id, fs in zip(ids, filesystems, strict=True)
            # Unreachable or missing: its zeros mean "no answer", not "empty". It stays in the
            # snapshot only, so history, rollups and the fill forecast are not dragged to zero.
            if fs.state is FilesystemState.OK
        ]
        writes.samples += rows

    def _inodes(
        self, fs_id: int, fs: FilesystemMetric, epoch: int
    ) -> tuple[int, int] | tuple[None, None]:
        """The inode figures this sample keeps: none without both, with no inode limit (a
        total of 0, as btrfs reports) or within INODE_SAMPLE_SECONDS of the last kept ones."""
        if not fs.inodes_total or fs.inodes_used is None:
            return NO_INODES
        last = self._inodes_kept.get(fs_id)
        if last is not None and abs(epoch - last) < INODE_SAMPLE_SECONDS:
            return NO_INODES
        self._inodes_kept.put(fs_id, epoch if last is None else max(epoch, last))
        return fs.inodes_used, fs.inodes_total

    def _update_snapshot(
        self,
        heartbeat: HeartbeatRequest,
        *,
        metrics: dict[str, Any],
        filesystems: list[FilesystemMetric],
        at: datetime,
        received_at: datetime,
        writes: PendingWrites,
    ) -> None:
        snapshot = {
            "id": heartbeat.server_id,
            "hostname": heartbeat.hostname,
            "agent_version": heartbeat.agent_version,
            "os_info": _json(heartbeat.os_info),
            "latest_metrics": (
                None if heartbeat.metrics is None else HUB_METRICS.dump_json(metrics).decode()
            ),
            "filesystems": (
                None
                if heartbeat.filesystems is None
                else FILESYSTEM_LIST.dump_json(filesystems).decode()
            ),
            "collector_errors": (
                None
                if not heartbeat.collector_errors
                else COLLECTOR_ERRORS.dump_json(heartbeat.collector_errors).decode()
            ),
            "capacity_domains": (
                None
                if heartbeat.capacity_domains is None
                else DOMAIN_LIST.dump_json(heartbeat.capacity_domains).decode()
            ),
            "at": _epoch(at),
            "seen": _epoch(received_at),
        }
        writes.servers.append(snapshot)


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


def _json(model: Any) -> str | None:
    return None if model is None else model.model_dump_json()


def hub_metrics(wire: MetricsPayload) -> dict[str, Any]:
    """The heartbeat's metrics under their hub names, in the hub's units (wire MiB/GiB → bytes)."""
    return {m.name: from_wire(m, getattr(wire, m.wire_name)) for m in SERVER_METRICS}


def _metric_row(
    heartbeat: HeartbeatRequest, metrics: dict[str, Any], at: datetime
) -> dict[str, Any]:
    row = {"server_id": heartbeat.server_id, "sampled_at": _epoch(at)}
    row.update((m.name, metrics[m.name]) for m in SAMPLED_METRICS)
    return row
