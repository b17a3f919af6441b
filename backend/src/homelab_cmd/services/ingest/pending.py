"""A group commit's rows, written a statement per batch rather than a round trip per heartbeat.

`MetricRows` holds the batch's `server_metric` rows, whose insert decides which heartbeats are
new and which are replays (the same server and instant already stored). `PendingWrites` holds
what needs no answer: samples, filesystems' last-seen times, and each server's snapshot and last
contact. On PostgreSQL each is one statement for the whole batch, one array per column
(unnest), however many heartbeats it holds; on SQLite, where a statement costs no round trip,
rows go one by one.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, update

from homelab_cmd.db.driver_sql import DriverStatement, number_array
from homelab_cmd.db.tables import FILESYSTEM
from homelab_cmd.domain.metrics import SERVER_METRICS, sampled

# The raw sample's columns come from the metric catalogue (domain/metrics.py).
SAMPLED_METRICS = sampled(SERVER_METRICS)
_METRIC_TYPES = {
    "server_id": "text",
    "sampled_at": "bigint",
    **{m.name: "bigint" if m.integer else "double precision" for m in SAMPLED_METRICS},
}
_METRIC_COLUMNS = ", ".join(_METRIC_TYPES)
INSERT_METRIC = DriverStatement(
    f"INSERT INTO server_metric ({_METRIC_COLUMNS}) "  # noqa: S608  (constants only)
    f"VALUES ({', '.join(f':{name}' for name in _METRIC_TYPES)}) "
    "ON CONFLICT DO NOTHING RETURNING server_id"
)
# RETURNING names the rows inserted: the rest were stored already (replays).
INSERT_METRIC_ARRAYS = DriverStatement(
    f"INSERT INTO server_metric ({_METRIC_COLUMNS}) "  # noqa: S608  (constants only)
    f"SELECT * FROM unnest({', '.join(f':{n}::{t}[]' for n, t in _METRIC_TYPES.items())}) "
    "ON CONFLICT DO NOTHING RETURNING server_id, sampled_at",
    binary=("server_id",),
)
_SAMPLE_NAMES = [
    "filesystem_id",
    "sampled_at",
    "total_bytes",
    "used_bytes",
    "available_bytes",
    "inodes_used",
    "inodes_total",
]
# SQLite's: a sample is a tuple in _SAMPLE_NAMES' order, bound by position (by name, the driver
# builds and looks up each parameter's name for every row: a quarter of the insert's time).
INSERT_SAMPLES = DriverStatement(
    f"INSERT INTO filesystem_sample ({', '.join(_SAMPLE_NAMES)}) "  # noqa: S608  (constants only)
    f"VALUES ({', '.join('?' for _ in _SAMPLE_NAMES)}) ON CONFLICT DO NOTHING"
)
# (filesystem id, epoch seconds, total, used, available bytes, inodes used, inodes total)
Sample = tuple[int, int, int, int, int, int | None, int | None]
INSERT_SAMPLE_ARRAYS = DriverStatement(
    f"INSERT INTO filesystem_sample ({', '.join(_SAMPLE_NAMES)}) "  # noqa: S608  (constants only)
    "SELECT * FROM unnest(:filesystem_id::integer[], :sampled_at::bigint[], "
    ":total_bytes::bigint[], :used_bytes::bigint[], :available_bytes::bigint[], "
    ":inodes_used::bigint[], :inodes_total::bigint[]) ON CONFLICT DO NOTHING"
)
SNAPSHOT_JSON = (
    "os_info",
    "latest_metrics",
    "filesystems",
    "collector_errors",
    "capacity_domains",
)
_SNAPSHOT = (
    "UPDATE server SET hostname = :hostname, agent_version = :agent_version, "  # noqa: S608
    f"{', '.join(f'{name} = :{name}' for name in SNAPSHOT_JSON)}, "
    "latest_heartbeat_at = :at, last_seen_at = :seen "
    "WHERE id = :id AND (latest_heartbeat_at IS NULL OR latest_heartbeat_at <= :at)"
)
UPDATE_SNAPSHOT = DriverStatement(_SNAPSHOT)
UPDATE_LAST_SEEN = DriverStatement("UPDATE server SET last_seen_at = :seen WHERE id = :id")
# Core, for its timestamp column's own binding on each engine; built once, run once a batch.
UPDATE_FILESYSTEM_SEEN = (
    update(FILESYSTEM)
    .where(FILESYSTEM.c.id == bindparam("filesystem_id"))
    .values(last_seen_at=bindparam("seen"))
)

_SNAPSHOT_TYPES = {
    "id": "text",
    "hostname": "text",
    "agent_version": "text",
    **dict.fromkeys(SNAPSHOT_JSON, "text"),
    "at": "bigint",
    "seen": "bigint",
}


def _snapshots_sql() -> str:
    # A row per server: the snapshot (null `at`: none, a replay's sighting only) replaces the
    # stored one unless that is newer; last_seen_at is always the row's.
    newer = "u.at IS NOT NULL AND (s.latest_heartbeat_at IS NULL OR s.latest_heartbeat_at <= u.at)"
    values = [
        ("hostname", "u.hostname"),
        ("agent_version", "u.agent_version"),
        *((name, f"CAST(u.{name} AS JSON)") for name in SNAPSHOT_JSON),
        ("latest_heartbeat_at", "u.at"),
    ]
    sets = ", ".join(f"{c} = CASE WHEN {newer} THEN {v} ELSE s.{c} END" for c, v in values)
    arrays = ", ".join(f":{c}::{t}[]" for c, t in _SNAPSHOT_TYPES.items())
    return (
        f"UPDATE server AS s SET {sets}, last_seen_at = u.seen "  # noqa: S608  (constants only)
        f"FROM unnest({arrays}) AS u({', '.join(_SNAPSHOT_TYPES)}) WHERE s.id = u.id"
    )


UPDATE_SNAPSHOT_ARRAYS = DriverStatement(
    _snapshots_sql(), binary=tuple(c for c, t in _SNAPSHOT_TYPES.items() if t == "text")
)


class MetricRows:
    """The batch's `server_metric` rows not inserted yet, and the keys the batch has claimed.

    A heartbeat claims its (server id, instant): a second heartbeat of the batch with the same
    key is a replay whatever the table holds, as it would be had the first been inserted alone.
    """

    def __init__(self) -> None:
        self._rows: list[dict[str, Any]] = []
        self._claimed: set[tuple[str, int]] = set()
        # Keys whose row the batch inserted (claimed, and not in the table before).
        self.inserted: set[tuple[str, int]] = set()

    def claim(self, row: dict[str, Any]) -> tuple[str, int] | None:
        """Queue the row; its key, or None when the batch holds that key already (a replay)."""
        key = (row["server_id"], row["sampled_at"])
        if key in self._claimed:
            return None
        self._claimed.add(key)
        self._rows.append(row)
        return key

    def insert(self, conn: Connection) -> None:
        """Insert the queued rows, noting those that were new."""
        rows, self._rows = self._rows, []
        if not rows:
            return
        if conn.dialect.name != "postgresql":
            for row in rows:
                # RETURNING rather than rowcount, which drivers do not all report for ON CONFLICT.
                if INSERT_METRIC.run(conn, row).fetchone() is not None:
                    self.inserted.add((row["server_id"], row["sampled_at"]))
            return
        # In key order, so that two hubs inserting the same keys wait on each other in one order
        # (within a statement: a replay's spacing check inserts what the batch queued before it,
        # so such a batch sends several; a deadlock then fails the batch, retried one by one).
        rows.sort(key=lambda row: (row["server_id"], row["sampled_at"]))
        columns: dict[str, Any] = {"server_id": [row["server_id"] for row in rows]}
        for name in list(_METRIC_TYPES)[1:]:
            columns[name] = number_array([row[name] for row in rows])
        self.inserted.update(INSERT_METRIC_ARRAYS.run(conn, columns).fetchall())


@dataclass
class PendingWrites:
    """Writes of a batch that need no answer, sent together when the batch is done."""

    samples: list[Sample] = field(default_factory=list)
    # In the batch's order: a heartbeat's snapshot (with `at`, its instant, and `seen`, when it
    # was received), or a replay's sighting (`id` and `seen` only).
    servers: list[dict[str, Any]] = field(default_factory=list)
    # filesystem id -> its new last_seen_at (moved at most once an hour: filesystem_rows.py)
    filesystems: dict[int, datetime] = field(default_factory=dict)

    def filesystem_seen(self, filesystem_id: int, at: datetime) -> None:
        self.filesystems[filesystem_id] = at

    def flush(self, conn: Connection) -> None:
        postgresql = conn.dialect.name == "postgresql"
        if self.filesystems:
            # By id, so that two hubs lock rows in the same order.
            rows = [{"filesystem_id": i, "seen": at} for i, at in sorted(self.filesystems.items())]
            conn.execute(UPDATE_FILESYSTEM_SEEN, rows)
            self.filesystems = {}
        if self.samples:
            if postgresql:
                columns = zip(*self.samples, strict=True)
                INSERT_SAMPLE_ARRAYS.run(
                    conn,
                    {
                        name: number_array(column)
                        for name, column in zip(_SAMPLE_NAMES, columns, strict=True)
                    },
                )
            else:
                INSERT_SAMPLES.run(conn, self.samples)
            self.samples = []
        if self.servers:
            if postgresql:
                _update_servers(conn, self.servers)
            else:
                for change in self.servers:
                    if "at" not in change or UPDATE_SNAPSHOT.run(conn, change).rowcount == 0:
                        UPDATE_LAST_SEEN.run(conn, {"seen": change["seen"], "id": change["id"]})
            self.servers = []


def _update_servers(conn: Connection, changes: list[dict[str, Any]]) -> None:
    """Each server's updates as the one they add up to, applied in one statement."""
    merged: dict[str, dict[str, Any]] = {}
    for change in changes:
        row = merged.get(change["id"])
        if row is None:
            row = merged[change["id"]] = dict.fromkeys(_SNAPSHOT_TYPES)
            row["id"] = change["id"]
        # Applied in turn, a snapshot replaces the one before unless that one is newer: the
        # last of those as new as every earlier one wins, if the stored one is not newer still.
        if "at" in change and (row["at"] is None or row["at"] <= change["at"]):
            row.update(change)
        row["seen"] = change["seen"]  # the last received is the last contact
    # By server id, so that two hubs lock rows in the same order.
    rows = sorted(merged.values(), key=lambda row: row["id"])
    UPDATE_SNAPSHOT_ARRAYS.run(
        conn,
        {
            name: [row[name] for row in rows]
            if kind == "text"
            else number_array([row[name] for row in rows])
            for name, kind in _SNAPSHOT_TYPES.items()
        },
    )
