"""Rolling raw samples up into hourly buckets, and hourly buckets into daily ones.

The ingest marks the hour of every stored heartbeat in `rollup_queue` (again when late data
arrives). A run claims the queued hours that are complete (DELETE … RETURNING, so two hubs never
claim one hour), recomputes each whole hour from raw, then each affected day from its hours, and
upserts the results. Recomputing from the source tier makes a run idempotent and late data safe.
The current hour stays queued until it is over: hourly and daily rows only ever hold final hours.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from homelab_cmd.api.schemas.history import Resolution
from homelab_cmd.config import Settings
from homelab_cmd.db.models import Filesystem, RollupQueue, Server
from homelab_cmd.services.aggregates import (
    FILESYSTEM_METRICS,
    SERVER_METRICS,
    Source,
    aggregate_select,
)
from homelab_cmd.services.retention import DAY, HOUR, RETENTION, cutoff

QUEUE = cast(Table, RollupQueue.__table__)
SERVER = cast(Table, Server.__table__)
FILESYSTEM = cast(Table, Filesystem.__table__)
# Any constant will do; it only has to be the same in every hub process.
MAINTENANCE_LOCK_ID = 0x486C_436D_6452
# Hours rolled up per transaction: a backlog (a hub that was down, a first upgrade) is worked
# off in short transactions, so SQLite's writer lock is never held long from heartbeats.
HOURS_PER_PASS = 12


@dataclass
class RollupReport:
    hours: list[datetime] = field(default_factory=list)
    days: list[datetime] = field(default_factory=list)
    skipped_hours: int = 0
    filesystem_ids: set[int] = field(default_factory=set)
    claimed_all: bool = True

    def add(self, other: "RollupReport") -> None:
        """Fold the report of a later pass into this one."""
        self.hours += other.hours
        self.days = sorted(set(self.days) | set(other.days))
        self.skipped_hours += other.skipped_hours
        self.filesystem_ids |= other.filesystem_ids
        self.claimed_all = other.claimed_all


def floor_to(at: datetime, seconds: int) -> datetime:
    """The start of the `seconds`-wide UTC bucket holding `at`."""
    epoch = int(at.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


def lock_maintenance(conn: Connection) -> None:
    """Serialise maintenance across hub processes sharing one PostgreSQL (held until commit).

    SQLite needs nothing: its first write already makes the transaction the only writer.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(MAINTENANCE_LOCK_ID)))


def source(tier: Resolution, *, servers: bool) -> Source:
    """The aggregate source for the server-metric or filesystem table of `tier`."""
    tables = RETENTION[tier]
    if servers:
        return Source(
            tables.server_metric,
            "server_id",
            tables.time_column,
            tier is Resolution.RAW,
            SERVER_METRICS,
        )
    return Source(
        tables.filesystem,
        "filesystem_id",
        tables.time_column,
        tier is Resolution.RAW,
        FILESYSTEM_METRICS,
    )


def _upsert_from_select(conn: Connection, target: Table, query: Any, keys: list[str]) -> None:
    module: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    names = [c.name for c in query.selected_columns]
    stmt = module.insert(target).from_select(names, query)
    updates = {name: stmt.excluded[name] for name in names if name not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updates))


def _roll(
    conn: Connection, src: Source, target: Table, owners: Table, *, start: datetime, width: int
) -> None:
    t = src.table.c[src.time]
    owner_ids = select(owners.c.id).scalar_subquery()
    # Filtering on the owner ids lets SQLite walk the (owner, time) primary key per owner
    # instead of scanning the whole table for one time range.
    query = aggregate_select(
        src,
        width,
        src.table.c[src.key].in_(owner_ids),
        t >= start,
        t < start + timedelta(seconds=width),
    ).order_by(None)
    _upsert_from_select(conn, target, query, [src.key, "bucket_at"])


def roll_bucket(conn: Connection, tier: Resolution, start: datetime) -> None:
    """Recompute the whole `tier` bucket starting at `start` from the tier below it."""
    below = Resolution.RAW if tier is Resolution.HOURLY else Resolution.HOURLY
    width = RETENTION[tier].bucket_seconds
    tables = RETENTION[tier]
    _roll(conn, source(below, servers=True), tables.server_metric, SERVER, start=start, width=width)
    _roll(
        conn, source(below, servers=False), tables.filesystem, FILESYSTEM, start=start, width=width
    )


def claim_hours(conn: Connection, now: datetime, limit: int = HOURS_PER_PASS) -> list[datetime]:
    """Remove and return up to `limit` of the oldest queued hours that are complete at `now`."""
    current = floor_to(now, HOUR)
    oldest = (
        select(QUEUE.c.hour_start_at)
        .where(QUEUE.c.hour_start_at < current)
        .order_by(QUEUE.c.hour_start_at)
        .limit(limit)
    )
    claimed = conn.execute(
        delete(QUEUE).where(QUEUE.c.hour_start_at.in_(oldest)).returning(QUEUE.c.hour_start_at)
    ).scalars()
    return sorted(set(claimed))


def touched_filesystems(conn: Connection, hours: list[datetime]) -> set[int]:
    """Filesystems with hourly rows in `hours`: the ones whose trend may have changed."""
    if not hours:
        return set()
    hourly = RETENTION[Resolution.HOURLY].filesystem
    owner_ids = select(FILESYSTEM.c.id).scalar_subquery()
    query = (
        select(hourly.c.filesystem_id)
        .distinct()
        .where(hourly.c.filesystem_id.in_(owner_ids), hourly.c.bucket_at.in_(hours))
    )
    return set(conn.execute(query).scalars())


def run_rollups(conn: Connection, settings: Settings, now: datetime) -> RollupReport:
    """Roll up one pass of complete queued hours and their days, in the caller's transaction.

    A pass claims at most HOURS_PER_PASS hours; `claimed_all` says whether the queue is done.
    """
    report = RollupReport()
    raw_cutoff = cutoff(settings, Resolution.RAW, now)
    claimed = claim_hours(conn, now)
    report.claimed_all = len(claimed) < HOURS_PER_PASS
    for hour in claimed:
        # Raw data of an hour past raw retention is (partly) pruned; recomputing it would
        # replace a complete hourly row with a fragment. Late data that old is dropped.
        if hour < raw_cutoff:
            report.skipped_hours += 1
            continue
        roll_bucket(conn, Resolution.HOURLY, hour)
        report.hours.append(hour)
    report.days = sorted({floor_to(hour, DAY) for hour in report.hours})
    for day in report.days:
        roll_bucket(conn, Resolution.DAILY, day)
    report.filesystem_ids = touched_filesystems(conn, report.hours)
    return report
