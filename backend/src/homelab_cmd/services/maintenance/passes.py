"""One maintenance pass: roll up complete hours and drive days, refresh trends, prune each tier
and the audit log."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, Table, delete, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.tables import FILESYSTEM, ROLLUP_QUEUE, SERVER
from homelab_cmd.domain.forecast_fields import CONFIDENT, FULL_AT
from homelab_cmd.domain.snapshot import parse_snapshot
from homelab_cmd.domain.tiers import Resolution
from homelab_cmd.services import audit
from homelab_cmd.services.drives.tiers import prune_drives, roll_up_days
from homelab_cmd.services.fleet.capacity import fill_dates
from homelab_cmd.services.forecast.trends import compute_trends, store_trends, stored_forecasts
from homelab_cmd.services.tiers.prune_marks import advance_mark
from homelab_cmd.services.tiers.retention import RETENTION, prune_before
from homelab_cmd.services.tiers.rollups import RollupReport, lock_maintenance, run_rollups
from homelab_cmd.services.usage.requests import request_for_forecasts


@dataclass
class MaintenanceReport:
    rollups: RollupReport
    trends_updated: int
    # "<table>" -> rows deleted
    pruned: dict[str, int] = field(default_factory=dict)
    drive_days: int = 0
    usage_scans_requested: int = 0

    def lines(self) -> list[str]:
        """A human summary, one fact a line."""
        r = self.rollups
        out = [
            f"hours rolled up: {len(r.hours)}"
            + (
                f" ({r.hours[0]:%Y-%m-%d %H:00} … {r.hours[-1]:%Y-%m-%d %H:00} UTC)"
                if r.hours
                else ""
            ),
            f"days rolled up: {len(r.days)}",
            f"drive days rolled up: {self.drive_days}",
            f"late hours past raw retention, merged: {r.late_hours}",
            f"filesystem trends updated: {self.trends_updated}",
            f"usage scans requested: {self.usage_scans_requested}",
        ]
        out += [f"pruned from {table}: {count} rows" for table, count in self.pruned.items()]
        return out


def _prune_table(
    conn: Connection, table: Table, owners: Table, *, key: str, time: str, before: datetime
) -> int:
    # One ranged delete per owner walks the (owner, time) key; a delete on time alone would
    # scan every row of the tier on SQLite.
    total = 0
    for owner in conn.execute(select(owners.c.id)).scalars():
        result = conn.execute(delete(table).where(table.c[key] == owner, table.c[time] < before))
        total += max(result.rowcount, 0)
    return total


def _oldest_queued_hour(conn: Connection) -> datetime | None:
    query = select(ROLLUP_QUEUE.c.hour_start_at).order_by(ROLLUP_QUEUE.c.hour_start_at).limit(1)
    return conn.execute(query).scalar_one_or_none()


def prune(conn: Connection, settings: Settings, now: datetime) -> dict[str, int]:
    """Delete every row older than its tier's retention, whole buckets of the tier above, and
    audit events older than AUDIT_RETENTION_DAYS."""
    pruned: dict[str, int] = {}
    for tier, tables in RETENTION.items():
        before = prune_before(settings, tier, now)
        oldest_queued = _oldest_queued_hour(conn) if tier is Resolution.RAW else None
        if oldest_queued is not None:
            # A late heartbeat stored since the rollups ran waits for the next pass.
            before = min(before, oldest_queued)
        advance_mark(conn, tier, before)
        t = tables.time_column
        pruned[tables.server_metric.name] = _prune_table(
            conn, tables.server_metric, SERVER, key="server_id", time=t, before=before
        )
        pruned[tables.filesystem.name] = _prune_table(
            conn, tables.filesystem, FILESYSTEM, key="filesystem_id", time=t, before=before
        )
    # Drive readings (hourly) are rolled up into days first, in the same transaction.
    pruned.update(prune_drives(conn, settings, now))
    pruned["audit_event"] = audit.prune(conn, now - timedelta(days=settings.audit_retention_days))
    return pruned


def filling_within(session: Session, now: datetime, horizon_days: int) -> set[tuple[str, str]]:
    """(server id, mount point) of each filesystem whose confident fill date comes within the
    horizon: the date people see and the alert uses, its own or its capacity domain's when the
    storage it shares fills first (services/fleet/fills.py). One read of the servers and one
    of the stored trends, whatever the size of the fleet; none when the horizon is 0."""
    if horizon_days <= 0:
        return set()
    until = now + timedelta(days=horizon_days)
    forecasts = stored_forecasts(session, now)
    servers = select(SERVER.c.id, SERVER.c.filesystems, SERVER.c.capacity_domains)
    found = set()
    for server_id, raw, domains in session.execute(servers):
        snapshot = parse_snapshot(raw)
        if not snapshot:
            continue
        own = [(fs, forecasts.get((server_id, fs.mount_point), {})) for fs in snapshot]
        for fs, forecast in fill_dates(domains, own, now):
            full_at = forecast.get(FULL_AT.name())
            if forecast.get(CONFIDENT.name()) and full_at is not None and full_at <= until:
                found.add((server_id, fs.mount_point))
    return found


def run_maintenance(engine: Engine, settings: Settings, now: datetime) -> MaintenanceReport:
    """Roll up, refresh trends and prune once; safe to run twice or from two hubs at once."""
    rollups = RollupReport(claimed_all=False)
    while not rollups.claimed_all:
        with engine.begin() as conn:
            lock_maintenance(conn)
            rollups.add(run_rollups(conn, settings, now))
    # Trends take seconds of Python for a large fleet: compute them outside any write
    # transaction so SQLite's single writer lock is not held from the heartbeat writer meanwhile.
    with engine.connect() as conn:
        rows = compute_trends(conn, rollups.filesystem_ids, now)
    with engine.begin() as conn:
        trends = store_trends(conn, rows)
    # Where the fill dates were just refreshed: a filesystem filling within the horizon gets a
    # usage scan (one open request a filesystem, so two hubs at once ask once).
    with Session(engine) as session, session.begin():
        filling = filling_within(session, now, settings.usage_scan_horizon_days)
        scans_requested = request_for_forecasts(session, now, filling)
    with engine.begin() as conn:
        lock_maintenance(conn)
        drive_days = roll_up_days(conn, now)
        pruned = prune(conn, settings, now)
    return MaintenanceReport(rollups, trends, pruned, drive_days, scans_requested)
