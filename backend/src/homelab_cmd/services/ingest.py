"""Storing heartbeats in the caller's transaction; the writer commits before the agent hears 2xx.

Wire units stop here: metrics are converted to the hub's units by the catalogue in
`domain/metrics.py` before they reach a row or the latest snapshot.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, select, update

from homelab_cmd.api.schemas.heartbeat import FilesystemMetric, HeartbeatRequest, MetricsPayload
from homelab_cmd.db.driver_sql import DriverStatement
from homelab_cmd.db.tables import FILESYSTEM, ROLLUP_QUEUE, SERVER
from homelab_cmd.db.upsert import insert_ignore, insert_or_lock
from homelab_cmd.domain.filesystems import LAST_SEEN_GRANULARITY, FilesystemState, mount_key
from homelab_cmd.domain.metrics import SERVER_METRICS, from_wire, sampled
from homelab_cmd.errors import TimestampInFuture

FILESYSTEM_LIST = TypeAdapter(list[FilesystemMetric])
COLLECTOR_ERRORS = TypeAdapter(dict[str, str])
HUB_METRICS = TypeAdapter(dict[str, float | int | None])
# The raw sample's columns come from the metric catalogue (domain/metrics.py).
SAMPLED_METRICS = sampled(SERVER_METRICS)
_METRIC_NAMES = ["server_id", "sampled_at", *(m.name for m in SAMPLED_METRICS)]
_METRIC_COLUMNS = ", ".join(_METRIC_NAMES)
_METRIC_VALUES = ", ".join(f":{name}" for name in _METRIC_NAMES)
EMPTY_METRICS = MetricsPayload()
INSERT_METRIC = DriverStatement(
    f"INSERT INTO server_metric ({_METRIC_COLUMNS}) VALUES ({_METRIC_VALUES}) "  # noqa: S608  (constants only)
    "ON CONFLICT DO NOTHING RETURNING server_id"
)
INSERT_SAMPLES = DriverStatement(
    "INSERT INTO filesystem_sample "
    "(filesystem_id, sampled_at, total_bytes, used_bytes, available_bytes) "
    "VALUES (:filesystem_id, :sampled_at, :total_bytes, :used_bytes, :available_bytes) "
    "ON CONFLICT DO NOTHING"
)
_SNAPSHOT = (
    "UPDATE server SET hostname = :hostname, agent_version = :agent_version, "
    "os_info = {json}, latest_metrics = {json2}, filesystems = {json3}, "
    "collector_errors = {json4}, "
    "latest_heartbeat_at = :at, last_seen_at = :seen "
    "WHERE id = :id AND (latest_heartbeat_at IS NULL OR latest_heartbeat_at <= :at)"
)
UPDATE_SNAPSHOT = DriverStatement(
    _SNAPSHOT.format(
        json=":os_info",
        json2=":latest_metrics",
        json3=":filesystems",
        json4=":collector_errors",
    ),
    postgresql=_SNAPSHOT.format(
        json="CAST(:os_info AS JSON)",
        json2="CAST(:latest_metrics AS JSON)",
        json3="CAST(:filesystems AS JSON)",
        json4="CAST(:collector_errors AS JSON)",
    ),
)
UPDATE_LAST_SEEN = DriverStatement("UPDATE server SET last_seen_at = :seen WHERE id = :id")


@dataclass(frozen=True)
class StoredHeartbeat:
    server_registered: bool
    duplicate: bool


@dataclass
class _KnownFilesystem:
    id: int
    device: str
    fs_type: str
    last_seen_at: datetime


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
    return list(by_mount.values())


class HeartbeatStore:
    """Writes heartbeats; caches ids it has seen so a steady fleet costs few lookups.

    Caches hold only facts that stay true until a server is deleted; `forget_server` drops them.
    """

    def __init__(self) -> None:
        self._servers: set[str] = set()
        self._filesystems: dict[tuple[str, str], _KnownFilesystem] = {}

    def forget_server(self, server_id: str) -> None:
        """Drop cached ids of a server (after it was deleted)."""
        self._servers.discard(server_id)
        # Called from a request thread while the writer may add entries: snapshot the keys
        # (list() copies under the GIL) instead of iterating the live dict.
        for key in [k for k in list(self._filesystems) if k[0] == server_id]:
            self._filesystems.pop(key, None)

    def forget_all(self) -> None:
        """Drop every cached id (after a failed transaction)."""
        self._servers.clear()
        self._filesystems.clear()

    def store(
        self, conn: Connection, heartbeat: HeartbeatRequest, received_at: datetime
    ) -> StoredHeartbeat:
        """Store one heartbeat inside the caller's transaction."""
        at = heartbeat_instant(heartbeat)
        registered = self._ensure_server(conn, heartbeat, received_at)
        # RETURNING rather than rowcount, which drivers do not all report for ON CONFLICT.
        metrics = hub_metrics(heartbeat.metrics or EMPTY_METRICS)
        inserted = INSERT_METRIC.run(conn, _metric_row(heartbeat, metrics, at)).fetchone()
        if inserted is None:
            UPDATE_LAST_SEEN.run(conn, {"seen": _epoch(received_at), "id": heartbeat.server_id})
            return StoredHeartbeat(server_registered=registered, duplicate=True)
        filesystems = latest_filesystems(heartbeat)
        if filesystems:
            self._store_samples(conn, heartbeat.server_id, filesystems, at)
        self._update_snapshot(
            conn,
            heartbeat,
            metrics=metrics,
            filesystems=filesystems,
            at=at,
            received_at=received_at,
        )
        return StoredHeartbeat(server_registered=registered, duplicate=False)

    def queue_rollups(self, conn: Connection, instants: set[datetime]) -> None:
        """Mark the hours of newly stored data for the rollup job."""
        hours = sorted({at.replace(minute=0, second=0) for at in instants})
        # An upsert, not DO NOTHING: it locks an hour already queued, so a rollup claiming that
        # hour on PostgreSQL waits for this commit and then sees these samples. Ascending order
        # keeps the lock order the same as the rollup's.
        conn.execute(
            insert_or_lock(ROLLUP_QUEUE, conn.dialect, "hour_start_at"),
            [{"hour_start_at": h} for h in hours],
        )

    def _ensure_server(
        self, conn: Connection, heartbeat: HeartbeatRequest, received_at: datetime
    ) -> bool:
        if heartbeat.server_id in self._servers:
            return False
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
        self._servers.add(heartbeat.server_id)
        return created

    def _store_samples(
        self,
        conn: Connection,
        server_id: str,
        filesystems: list[FilesystemMetric],
        at: datetime,
    ) -> None:
        rows = []
        for fs in filesystems:
            known = self._filesystem(conn, server_id, fs, at)
            if fs.state is FilesystemState.UNREACHABLE:
                # Its zeros mean "no answer", not "empty": it stays in the snapshot only, so
                # history, rollups and the fill forecast are not dragged to zero.
                continue
            rows.append(
                {
                    "filesystem_id": known.id,
                    "sampled_at": _epoch(at),
                    "total_bytes": fs.total_bytes,
                    "used_bytes": fs.used_bytes,
                    "available_bytes": fs.available_bytes,
                }
            )
        if rows:
            INSERT_SAMPLES.run(conn, rows)

    def _filesystem(
        self, conn: Connection, server_id: str, fs: FilesystemMetric, at: datetime
    ) -> _KnownFilesystem:
        key = (server_id, fs.mount_point)
        known = self._filesystems.get(key)
        if known is None:
            known = self._load_or_create_filesystem(conn, server_id, fs, at)
            self._filesystems[key] = known
        changed = known.device != fs.device or known.fs_type != fs.fs_type
        if changed or at - known.last_seen_at >= LAST_SEEN_GRANULARITY:
            # A replaced disk keeps its mount point's history; the row shows the newest device.
            values: dict[str, Any] = {"last_seen_at": max(at, known.last_seen_at)}
            if changed:
                values.update(device=fs.device, fs_type=fs.fs_type)
            conn.execute(update(FILESYSTEM).where(FILESYSTEM.c.id == known.id).values(**values))
            known.device, known.fs_type = fs.device, fs.fs_type
            known.last_seen_at = values["last_seen_at"]
        return known

    def _load_or_create_filesystem(
        self, conn: Connection, server_id: str, fs: FilesystemMetric, at: datetime
    ) -> _KnownFilesystem:
        key = mount_key(fs.mount_point)
        conn.execute(
            insert_ignore(FILESYSTEM, conn.dialect),
            {
                "server_id": server_id,
                "mount_key": key,
                "mount_point": fs.mount_point,
                "device": fs.device,
                "fs_type": fs.fs_type,
                "first_seen_at": at,
                "last_seen_at": at,
            },
        )
        row = conn.execute(
            select(FILESYSTEM.c.id, FILESYSTEM.c.device, FILESYSTEM.c.fs_type)
            .add_columns(FILESYSTEM.c.last_seen_at)
            .where(FILESYSTEM.c.server_id == server_id, FILESYSTEM.c.mount_key == key)
        ).one()
        return _KnownFilesystem(row.id, row.device, row.fs_type, row.last_seen_at)

    def _update_snapshot(
        self,
        conn: Connection,
        heartbeat: HeartbeatRequest,
        *,
        metrics: dict[str, Any],
        filesystems: list[FilesystemMetric],
        at: datetime,
        received_at: datetime,
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
            "at": _epoch(at),
            "seen": _epoch(received_at),
        }
        if UPDATE_SNAPSHOT.run(conn, snapshot).rowcount == 0:
            UPDATE_LAST_SEEN.run(conn, {"seen": snapshot["seen"], "id": heartbeat.server_id})


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
