"""Rolling raw samples up into hourly buckets, and hourly buckets into daily ones.

The ingest marks the hour of every stored heartbeat in `rollup_queue` (again when late data
arrives). A run claims the queued hours that are complete (DELETE … RETURNING, so two hubs never
claim one hour), recomputes each whole hour from raw, then each affected day from its hours, and
upserts the results. Recomputing from the source tier makes a run idempotent and late data safe.
The current hour stays queued until it is over: hourly and daily rows only ever hold final hours.

Late data older than the source tier's retention (an agent replaying a spool of ten days) finds
its bucket's other rows already pruned (services/tiers/prune_marks.py): recomputing would replace a
complete bucket with the fragment. Such a bucket is merged instead: the existing row and the
fragment are combined by sample count, and the merged source rows are deleted in the same
transaction, so a second run finds nothing to add again.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Table, delete, select, true, union_all

from homelab_cmd.config import Settings
from homelab_cmd.db.locks import MAINTENANCE_LOCK_ID, advisory_xact_lock
from homelab_cmd.db.tables import FILESYSTEM, ROLLUP_QUEUE, SERVER
from homelab_cmd.db.upsert import upsert_from_select
from homelab_cmd.domain.tiers import DAY, HOUR, Resolution, floor_to
from homelab_cmd.services.tiers.aggregates import Source, aggregate_select, source
from homelab_cmd.services.tiers.prune_marks import pruned_before
from homelab_cmd.services.tiers.retention import RETENTION

# Hours rolled up per transaction: a backlog (a hub that was down, a first upgrade) is worked
# off in short transactions, so SQLite's writer lock is never held long from heartbeats.
HOURS_PER_PASS = 12


@dataclass
class RollupReport:
    hours: list[datetime] = field(default_factory=list)
    days: list[datetime] = field(default_factory=list)
    # Hours past raw retention, merged into their hourly rows.
    late_hours: int = 0
    filesystem_ids: set[int] = field(default_factory=set)
    claimed_all: bool = True

    def add(self, other: "RollupReport") -> None:
        """Fold the report of a later pass into this one."""
        self.hours += other.hours
        self.days = sorted(set(self.days) | set(other.days))
        self.late_hours += other.late_hours
        self.filesystem_ids |= other.filesystem_ids
        self.claimed_all = other.claimed_all


def lock_maintenance(conn: Connection) -> None:
    """Serialise maintenance across hub processes sharing one PostgreSQL (held until commit)."""
    advisory_xact_lock(conn, MAINTENANCE_LOCK_ID)


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
    conn.execute(upsert_from_select(target, conn.dialect, query, [src.key, "bucket_at"]))


def _merge(
    conn: Connection, src: Source, target: Table, owners: Table, *, start: datetime, width: int
) -> None:
    t = src.table.c[src.time]
    key = src.table.c[src.key]
    in_bucket = (
        key.in_(select(owners.c.id).scalar_subquery()),
        t >= start,
        t < start + timedelta(seconds=width),
    )
    fragment = aggregate_select(src, width, *in_bucket).order_by(None)
    names = [c.name for c in fragment.selected_columns]
    late_owners = select(key).where(*in_bucket).distinct().scalar_subquery()
    existing = select(*(target.c[name] for name in names)).where(
        target.c[src.key].in_(late_owners), target.c.bucket_at == start
    )
    both = union_all(existing, fragment).subquery()
    merged = Source(both, src.key, "bucket_at", raw=False, metrics=src.metrics)
    # WHERE true: SQLite needs a WHERE before ON CONFLICT to parse INSERT … SELECT … upsert.
    query = aggregate_select(merged, width, true()).order_by(None)
    conn.execute(upsert_from_select(target, conn.dialect, query, [src.key, "bucket_at"]))
    rows_below = src.table
    assert isinstance(rows_below, Table)  # a tier's source is its table, never a subquery
    conn.execute(delete(rows_below).where(*in_bucket))


def roll_bucket(
    conn: Connection, tier: Resolution, start: datetime, *, merge: bool = False
) -> None:
    """Recompute the whole `tier` bucket starting at `start` from the tier below it.

    With `merge`, the rows below are late arrivals only: add them to the bucket and drop them.
    """
    below = Resolution.RAW if tier is Resolution.HOURLY else Resolution.HOURLY
    width = RETENTION[tier].bucket_seconds
    tables = RETENTION[tier]
    roll = _merge if merge else _roll
    roll(conn, source(below, servers=True), tables.server_metric, SERVER, start=start, width=width)
    roll(
        conn,
        source(below, servers=False, stored=True),
        tables.filesystem,
        FILESYSTEM,
        start=start,
        width=width,
    )


def claim_hours(conn: Connection, now: datetime, limit: int = HOURS_PER_PASS) -> list[datetime]:
    """Remove and return up to `limit` of the oldest queued hours that are complete at `now`."""
    current = floor_to(now, HOUR)
    oldest = (
        select(ROLLUP_QUEUE.c.hour_start_at)
        .where(ROLLUP_QUEUE.c.hour_start_at < current)
        .order_by(ROLLUP_QUEUE.c.hour_start_at)
        .limit(limit)
    )
    claimed = conn.execute(
        delete(ROLLUP_QUEUE)
        .where(ROLLUP_QUEUE.c.hour_start_at.in_(oldest))
        .returning(ROLLUP_QUEUE.c.hour_start_at)
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
    raw_pruned = pruned_before(conn, settings, Resolution.RAW, now)
    hourly_pruned = pruned_before(conn, settings, Resolution.HOURLY, now)
    claimed = claim_hours(conn, now)
    report.claimed_all = len(claimed) < HOURS_PER_PASS
    for hour in claimed:
        late = hour < raw_pruned
        roll_bucket(conn, Resolution.HOURLY, hour, merge=late)
        report.late_hours += late
        report.hours.append(hour)
    report.days = sorted({floor_to(hour, DAY) for hour in report.hours})
    for day in report.days:
        roll_bucket(conn, Resolution.DAILY, day, merge=day < hourly_pruned)
    report.filesystem_ids = touched_filesystems(conn, report.hours)
    return report
