"""The whole look at an online server: its drives and pools, every mount of its snapshot with
its fill date, what grew on a filling one, and the mounts gone from the snapshot."""

from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from homelab_cmd.domain.alerts import AlertKind, MountMode, Severity
from homelab_cmd.domain.filesystems import LAST_SEEN_GRANULARITY
from homelab_cmd.domain.forecast_fields import BYTES
from homelab_cmd.domain.snapshot import SnapshotFilesystem, parse_snapshot
from homelab_cmd.services.alerts.config import AlertConfig
from homelab_cmd.services.alerts.messages import describe, grower_figures
from homelab_cmd.services.alerts.observe import (
    Findings,
    observe_mount,
    observe_vanished,
    recently_seen,
)
from homelab_cmd.services.alerts.pass_rows import AlertRow
from homelab_cmd.services.alerts.rows import (
    MountRow,
    ServerRow,
    facts,
    heartbeats_without,
    stored_trend,
)
from homelab_cmd.services.alerts.storage import StorageBook, observe_drives, observe_pools
from homelab_cmd.services.fleet.capacity import fill_dates
from homelab_cmd.services.forecast.trends import Forecasted, alert_fields
from homelab_cmd.services.levels import PolicyBook
from homelab_cmd.services.usage.reads import recent_growth


def observe_online(  # noqa: PLR0917  (each argument is a separate fact)
    session: Session,
    server: ServerRow,
    book: PolicyBook,
    alerts: list[AlertRow],
    mounts: dict[str, MountRow],
    findings: Findings,
    *,
    storage: StorageBook | None,
    config: AlertConfig,
    now: datetime,
) -> None:
    current: dict[str | None, dict[AlertKind, Severity]] = defaultdict(dict)
    for alert in alerts:
        current[alert.mount_point][alert.kind] = alert.severity
    if storage is not None:
        observe_drives(storage.drives[server.id], findings)
        scrub_max_age = timedelta(days=config.scrub_max_age_days)
        observe_pools(storage.pools[server.id], now, scrub_max_age, findings)
    snapshot = parse_snapshot(server.filesystems)
    if snapshot is None:  # an agent that sends no filesystems: nothing to say about disks
        findings.kept.update((a.kind, a.mount_point) for a in alerts)
        return
    present: set[str] = set()
    for fs, forecast in _dated(server, snapshot, mounts, now):
        mount = fs.mount_point
        present.add(mount)
        row = mounts.get(mount)
        mount_facts = facts(row, forecast)
        policy = book.policy(server.id, mount)
        observe_mount(fs, policy, mount_facts, current[mount], now, findings)
    _name_growers(session, server.id, findings)
    _observe_gone(session, server.id, book, mounts, present, current, findings, now=now)


def _name_growers(session: Session, server_id: str, findings: Findings) -> None:
    """Time-to-full messages name what grew since the filesystem's previous usage scan;
    the scans are read only for a server with such a condition."""
    filling = [i for i, o in enumerate(findings.observed) if o.kind is AlertKind.TIME_TO_FULL]
    grown = recent_growth(session, server_id) if filling else {}
    for i in filling:
        obs = findings.observed[i]
        growth = grown.get(obs.mount_point or "")
        if growth is not None:
            figures = {**obs.figures, **grower_figures(growth)}
            message = describe(obs.kind, obs.mount_point, figures)
            findings.observed[i] = replace(obs, figures=figures, message=message)


def _dated(
    server: ServerRow,
    snapshot: list[SnapshotFilesystem],
    mounts: dict[str, MountRow],
    now: datetime,
) -> list[Forecasted]:
    """Each filesystem with its fill date as the reads show it: its capacity domain's when
    the storage it shares fills first (services/fleet/fills.py)."""
    own = []
    for fs in snapshot:
        row = mounts.get(fs.mount_point)
        own.append((fs, {} if row is None else alert_fields(stored_trend(row, BYTES), now)))
    return fill_dates(server.capacity_domains, own, now)


def _observe_gone(  # noqa: PLR0917  (each argument is a separate fact)
    session: Session,
    server_id: str,
    book: PolicyBook,
    mounts: dict[str, MountRow],
    present: set[str],
    current: dict[str | None, dict[AlertKind, Severity]],
    findings: Findings,
    *,
    now: datetime,
) -> None:
    """Mounts with a row that the snapshot no longer lists: vanished after two heartbeats."""
    gone: list[tuple[str, MountRow, bool]] = []
    for mount, row in mounts.items():
        if mount in present or book.policy(server_id, mount).mode is MountMode.IGNORE:
            continue
        if row.dismissed_seen_at is not None and row.dismissed_seen_at >= row.last_seen_at:
            continue  # the operator dismissed this vanishing on the server page
        is_open = AlertKind.VANISHED in current[mount]
        if not (is_open or recently_seen(row.last_seen_at, now, LAST_SEEN_GRANULARITY)):
            continue
        gone.append((mount, row, is_open))
    if gone:
        counts = heartbeats_without(session, server_id, [row for _, row, _ in gone])
        for mount, row, is_open in gone:
            observe_vanished(mount, counts[row.id], is_open, findings)
