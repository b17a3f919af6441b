"""What the weekly capacity report says: gathered from the fleet's reads, as of one instant.

One `CapacityReport` is built here and then returned as JSON by the API or written as text or
HTML for the channels (render.py), so every form says the same. Sections:

- filesystems that fill within the horizon (90 days), soonest first, with their range: the
  forecast exactly as the fleet's reads give it (stored trends read back through
  `services/forecast/trends.py`, the capacity domain's date where it comes first, through
  `services/fleet/capacity.py`); mounts whose rule says `ignore` are left out;
- the week's largest growers: used bytes now (the latest heartbeat) against the first hour of
  the week the hourly tier holds;
- directories that grew most between usage scans (`services/usage/reads.py`);
- drives and pools whose health changed: their alerts that began or ended during the week, with
  the health they have now;
- alerts that started firing, were acknowledged or resolved during the week, and those still
  firing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, case, func, or_, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Alert, Drive, Filesystem, Pool, Server
from homelab_cmd.db.tables import FILESYSTEM_HOURLY as HOURLY
from homelab_cmd.domain.alerts import STORAGE_KINDS, AlertState, MountMode, Severity
from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.domain.report_schedule import ReportSchedule
from homelab_cmd.domain.snapshot import parse_snapshot
from homelab_cmd.domain.usage import where_it_happened
from homelab_cmd.schemas.report import (
    CapacityReport,
    ReportAlert,
    ReportAlerts,
    ReportDirectory,
    ReportFilesystem,
    ReportGrower,
    ReportHealthEvent,
    ReportStorageChange,
)
from homelab_cmd.services.drives import reads as drive_reads
from homelab_cmd.services.fleet import capacity as fleet_capacity
from homelab_cmd.services.forecast.trends import Forecasted, Forecasts, stored_forecasts
from homelab_cmd.services.levels import PolicyBook, load_policies
from homelab_cmd.services.reports.schedule import next_slot
from homelab_cmd.services.usage import reads as usage_reads
from homelab_cmd.services.usage.reads import FleetGrowth

WEEK = timedelta(days=7)
HORIZON_DAYS = 90
# Rows each section lists at most; the counts say how many there were. A message stays
# readable, and a fleet of thousands of disks does not make a megabyte e-mail.
MAX_FILLING = 50
MAX_GROWERS = 10
MAX_DIRECTORIES = 10
# Directory growers read before each change is named once (a parent and its child are one).
DIRECTORY_CANDIDATES = 200
MAX_STORAGE_CHANGES = 50
MAX_FIRING = 20
DRIVE_PREFIX = "drive:"


@dataclass(frozen=True)
class ReportOptions:
    """The settings a report reads: the hub's public address, the scrub age, the schedule."""

    public_url: str | None
    scrub_max_age_days: int
    schedule: ReportSchedule | None


@dataclass(frozen=True)
class _Server:
    id: str
    name: str
    filesystems: list[dict[str, Any]] | None
    capacity_domains: list[dict[str, Any]] | None


def _servers(session: Session) -> dict[str, _Server]:
    query = select(
        Server.id, Server.hostname, Server.display_name, Server.filesystems, Server.capacity_domains
    )
    return {
        row.id: _Server(
            row.id,
            row.display_name or row.hostname or row.id,
            row.filesystems,
            row.capacity_domains,
        )
        for row in session.execute(query.order_by(Server.id))
    }


def _dated(server: _Server, forecasts: Forecasts, now: datetime) -> list[Forecasted]:
    """The server's snapshot filesystems with their fill dates, as the fleet's reads give them."""
    snapshot = parse_snapshot(server.filesystems)
    if snapshot is None:
        return []
    own = [(fs, forecasts.get((server.id, fs.mount_point), {})) for fs in snapshot]
    return fleet_capacity.fill_dates(server.capacity_domains, own, now)


def _filling(
    session: Session, servers: dict[str, _Server], book: PolicyBook, now: datetime
) -> list[ReportFilesystem]:
    """Every filesystem with a fill date within the horizon, soonest first."""
    horizon = now + timedelta(days=HORIZON_DAYS)
    forecasts = stored_forecasts(session, now)
    out = []
    for server in servers.values():
        for fs, forecast in _dated(server, forecasts, now):
            full_at = forecast.get("full_at")
            if full_at is None or full_at > horizon or fs.state is FilesystemState.MISSING:
                continue
            if book.policy(server.id, fs.mount_point).mode is MountMode.IGNORE:
                continue
            out.append(
                ReportFilesystem.model_validate(
                    {
                        **fs.to_json(),
                        **forecast,
                        "server_id": server.id,
                        "server_name": server.name,
                    }
                )
            )
    return sorted(out, key=lambda f: (f.full_at, f.server_id, f.mount_point))


def _growers(
    session: Session, servers: dict[str, _Server], book: PolicyBook, since: datetime
) -> list[ReportGrower]:
    """Filesystems by bytes grown since the first hour of the week, largest first."""
    first = (
        select(HOURLY.c.filesystem_id, func.min(HOURLY.c.bucket_at).label("first_at"))
        .where(HOURLY.c.bucket_at >= since)
        .group_by(HOURLY.c.filesystem_id)
        .subquery()
    )
    query = (
        select(
            Filesystem.server_id,
            Filesystem.mount_point,
            HOURLY.c.bucket_at,
            HOURLY.c.used_bytes_avg,
        )
        .join(first, first.c.filesystem_id == Filesystem.id)
        .join(
            HOURLY,
            (HOURLY.c.filesystem_id == first.c.filesystem_id)
            & (HOURLY.c.bucket_at == first.c.first_at),
        )
    )
    then = {
        (row.server_id, row.mount_point): (row.bucket_at, row.used_bytes_avg)
        for row in session.execute(query)
    }
    out = []
    for server in servers.values():
        for fs in parse_snapshot(server.filesystems) or []:
            start = then.get((server.id, fs.mount_point))
            if start is None or start[1] is None or not fs.answered:
                continue
            if book.policy(server.id, fs.mount_point).mode is MountMode.IGNORE:
                continue
            change = fs.used_bytes - round(start[1])
            if change > 0:
                out.append(
                    ReportGrower(
                        server_id=server.id,
                        server_name=server.name,
                        mount_point=fs.mount_point,
                        since=start[0],
                        bytes_then=round(start[1]),
                        bytes_now=fs.used_bytes,
                        change_bytes=change,
                    )
                )
    out.sort(key=lambda g: (-g.change_bytes, g.server_id, g.mount_point))
    return out[:MAX_GROWERS]


def _named_where_it_happened(found: list[FleetGrowth]) -> list[FleetGrowth]:
    """Each change once, where it happened, largest first (domain/usage.py where_it_happened,
    which the alert message and the web UI's "What grew" follow too): a mount point's own
    entry is the filesystem's growth, already a grower above."""
    per_filesystem: dict[tuple[str, str], list[FleetGrowth]] = defaultdict(list)
    for g in found:
        per_filesystem[(g.server_id, g.mount_point)].append(g)
    named = {
        g
        for (_, mount_point), changes in per_filesystem.items()
        for g in where_it_happened(changes, mount_point)
    }
    return [g for g in found if g in named]


def _directory_growers(
    session: Session, servers: dict[str, _Server], book: PolicyBook, since: datetime
) -> list[ReportDirectory]:
    """Directories that grew most between a filesystem's usage scans, the newest taken during
    the week (services/usage/reads.py says which two scans are compared)."""
    found = usage_reads.week_growers(session, since, DIRECTORY_CANDIDATES)
    out = []
    for grown in _named_where_it_happened(found):
        if book.policy(grown.server_id, grown.mount_point).mode is MountMode.IGNORE:
            continue
        server = servers.get(grown.server_id)
        out.append(
            ReportDirectory(
                server_id=grown.server_id,
                server_name=server.name if server else grown.server_id,
                mount_point=grown.mount_point,
                path=grown.path,
                bytes_then=grown.bytes_then,
                bytes_now=grown.bytes_now,
                change_bytes=grown.change,
            )
        )
    return out[:MAX_DIRECTORIES]


def _critical(change: ReportStorageChange) -> bool:
    return any(e.severity is Severity.CRITICAL for e in change.events)


def _pool_of(key: str) -> tuple[str, str]:
    kind, _, name = key.partition(":")
    return kind, name


def _storage_changes(
    session: Session,
    servers: dict[str, _Server],
    since: datetime,
    now: datetime,
    scrub_max_age: timedelta,
) -> list[ReportStorageChange]:
    """Drives and pools with an alert that began or ended during the week, critical first."""
    query = (
        select(Alert)
        .where(
            Alert.kind.in_(sorted(STORAGE_KINDS)),
            or_(Alert.started_at >= since, Alert.resolved_at >= since),
        )
        .order_by(Alert.started_at, Alert.id)
    )
    events: dict[tuple[str, str], list[ReportHealthEvent]] = defaultdict(list)
    for alert in session.scalars(query):
        events[(alert.server_id, alert.mount_point or "")].append(
            ReportHealthEvent(
                kind=alert.kind,
                severity=alert.severity,
                started_at=alert.started_at,
                resolved_at=alert.resolved_at,
                message=alert.message,
            )
        )
    if not events:
        return []
    ids = sorted({server_id for server_id, _ in events})
    drives = {
        (d.server_id, DRIVE_PREFIX + d.drive_key): d
        for d in session.scalars(select(Drive).where(Drive.server_id.in_(ids)))
    }
    pools = {
        (p.server_id, f"{p.kind}:{p.name}"): p
        for p in session.scalars(select(Pool).where(Pool.server_id.in_(ids)))
    }
    out = []
    for (server_id, key), found in events.items():
        server = servers.get(server_id)
        name = server.name if server is not None else server_id
        base = {"server_id": server_id, "server_name": name, "key": key, "events": found}
        if key.startswith(DRIVE_PREFIX):
            drive = drives.get((server_id, key))
            out.append(
                ReportStorageChange(
                    **base,
                    subject="drive",
                    name=drive.name if drive else key.removeprefix(DRIVE_PREFIX),
                    health=str(drive.health) if drive else None,
                    reasons=list(drive.reasons) if drive else [],
                )
            )
            continue
        pool = pools.get((server_id, key))
        read = drive_reads.pool_read(pool, now, scrub_max_age) if pool else None
        out.append(
            ReportStorageChange(
                **base,
                subject="pool",
                name=pool.name if pool else _pool_of(key)[1],
                health=str(read.health) if read else None,
                reasons=list(read.reasons) if read else [],
            )
        )
    out.sort(key=lambda s: (not _critical(s), s.server_id, s.key))
    return out[:MAX_STORAGE_CHANGES]


def _count(session: Session, *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(Alert).where(*where)) or 0)


def _firing(row: Row[Any], servers: dict[str, _Server]) -> ReportAlert:
    alert: Alert = row[0]
    server = servers.get(alert.server_id)
    return ReportAlert(
        id=alert.id,
        server_id=alert.server_id,
        server_name=server.name if server else alert.server_id,
        kind=alert.kind,
        severity=alert.severity,
        mount_point=alert.mount_point,
        fired_at=alert.fired_at,
        acknowledged=alert.acknowledged_at is not None,
        message=alert.message,
    )


def _alerts(session: Session, servers: dict[str, _Server], since: datetime) -> ReportAlerts:
    firing = Alert.state == AlertState.FIRING
    critical_first = case((Alert.severity == Severity.CRITICAL, 0), else_=1)
    rows = session.execute(
        select(Alert)
        .where(firing)
        .order_by(critical_first, Alert.fired_at, Alert.id)
        .limit(MAX_FIRING)
    ).all()
    return ReportAlerts(
        opened=_count(session, Alert.fired_at >= since),
        acknowledged=_count(session, Alert.acknowledged_at >= since),
        # A condition that cleared while still pending never fired: not worth a line.
        resolved=_count(session, Alert.resolved_at >= since, Alert.fired_at.is_not(None)),
        still_firing=_count(session, firing),
        firing=[_firing(row, servers) for row in rows],
    )


def build_report(session: Session, options: ReportOptions, now: datetime) -> CapacityReport:
    """The report as of `now`, looking back one week."""
    since = now - WEEK
    servers = _servers(session)
    # Mounts whose rule says `ignore` are left out of every section about filesystems.
    book = load_policies(session, None)
    filling = _filling(session, servers, book, now)
    return CapacityReport(
        generated_at=now,
        period_start=since,
        horizon_days=HORIZON_DAYS,
        hub_url=options.public_url,
        server_count=len(servers),
        filling=filling[:MAX_FILLING],
        filling_count=len(filling),
        growers=_growers(session, servers, book, since),
        directory_growers=_directory_growers(session, servers, book, since),
        storage_changes=_storage_changes(
            session, servers, since, now, timedelta(days=options.scrub_max_age_days)
        ),
        alerts=_alerts(session, servers, since),
        schedule=None if options.schedule is None else options.schedule.describe(),
        next_report_at=None if options.schedule is None else next_slot(options.schedule, now),
    )
