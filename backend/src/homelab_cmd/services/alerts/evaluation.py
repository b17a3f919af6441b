"""One evaluation pass: observe servers, move their alerts along, queue the messages.

A pass that changes anything holds the alert lock from its first read (BEGIN IMMEDIATE on
SQLite, an advisory lock on PostgreSQL), and queues its messages in the same transaction as the
state change behind them: two hubs on one database never both move an alert, so never both send
"resolved".

A pass woken by a crossing judges only what the crossing check named (crossings.Scope): those
mounts' figures and states, and the drives and pools when they changed; the server's other open
alerts are kept as they are, since nothing behind them changed since the pass before (what
moves with the clock is the full pass's). A server such a narrow look cannot settle (a grouped
alert open, conditions past its budget, a named mount no longer in the snapshot) is judged whole
in the same pass.
"""

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, delete, func, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.locks import ALERT_LOCK_ID, exclusive_pass
from homelab_cmd.db.models import (
    Alert,
    AlertWatch,
    Filesystem,
    FilesystemSample,
    Server,
    ServerMetric,
    Silence,
)
from homelab_cmd.db.tables import FILESYSTEM_TREND as TREND
from homelab_cmd.domain.alerts import (
    MOUNT_KINDS,
    STORAGE_KINDS,
    AlertKind,
    AlertState,
    MountMode,
    Severity,
    pattern_matches,
)
from homelab_cmd.domain.filesystems import LAST_SEEN_GRANULARITY
from homelab_cmd.domain.forecast_fields import (
    ALERT_FIELDS,
    BYTES,
    CONFIDENT,
    FILL_DOMAIN_LABEL,
    FULL_AT,
    FULL_AT_EARLIEST,
    FULL_AT_LATEST,
    INODES,
    QUANTITIES,
    ForecastQuantity,
)
from homelab_cmd.domain.servers import ServerStatus, status_at
from homelab_cmd.domain.snapshot import SnapshotFilesystem, parse_snapshot
from homelab_cmd.services.alerts.crossings import WHOLE, Scope
from homelab_cmd.services.alerts.flapping import FlapBook, FlapConfig
from homelab_cmd.services.alerts.messages import (
    compose,
    compose_flapping,
    compose_settled,
    describe,
    describe_group,
    grower_figures,
)
from homelab_cmd.services.alerts.observe import (
    Findings,
    MountFacts,
    Observation,
    Trend,
    observe_mount,
    observe_vanished,
    offline_figures,
    recently_seen,
)
from homelab_cmd.services.alerts.storage import StorageBook, observe_drives, observe_pools
from homelab_cmd.services.fleet.capacity import server_capacity
from homelab_cmd.services.forecast.trends import Forecasted, forecast_fields
from homelab_cmd.services.levels import PolicyBook, load_policies
from homelab_cmd.services.notify import channels as notify_channels
from homelab_cmd.services.notify.channels import Target
from homelab_cmd.services.notify.outbox import Enqueuer, Outgoing
from homelab_cmd.services.usage.reads import recent_growth

# A pass holds its servers' snapshots, mounts and open alerts in memory at once, so servers are
# taken in batches of about this many filesystems: peak memory stays bounded by the batch, not
# by the fleet (a few servers with thousands of mounts each cost hundreds of MiB in one batch).
FILESYSTEMS_PER_BATCH = 5000
MAX_SERVERS_PER_BATCH = 500
# Filesystem ids per IN (...), well inside every engine's bound-parameter limit.
ID_CHUNK = 500
# Mount points a grouped alert keeps in its figures (the count has them all).
GROUP_MOUNTS_KEPT = 50


@dataclass(frozen=True)
class AlertConfig:
    offline_after_seconds: int
    hold_seconds: int
    unreachable_seconds: int
    repeat_warning_seconds: int
    repeat_critical_seconds: int
    group_seconds: float
    history_days: int
    public_url: str | None
    env_targets: tuple[Target, ...]
    filesystems_per_batch: int = FILESYSTEMS_PER_BATCH
    # Per-host budgets (docs/alerts.md): past them, conditions and messages are grouped.
    max_open_alerts: int = 100
    max_queued_messages: int = 100
    scrub_max_age_days: int = 35
    flap: FlapConfig = field(default_factory=FlapConfig)
    max_queued_per_channel: int = 500

    @classmethod
    def from_settings(cls, settings: Settings) -> "AlertConfig":
        return cls(
            offline_after_seconds=settings.offline_after_seconds,
            hold_seconds=settings.alert_hold_seconds,
            unreachable_seconds=settings.alert_unreachable_seconds,
            repeat_warning_seconds=settings.alert_repeat_warning_seconds,
            repeat_critical_seconds=settings.alert_repeat_critical_seconds,
            group_seconds=settings.notify_group_seconds,
            history_days=settings.alert_history_days,
            public_url=settings.public_url,
            env_targets=tuple(
                notify_channels.env_targets(settings.notify_url_list, settings.notify_min_severity)
            ),
            max_open_alerts=settings.max_open_alerts_per_server,
            max_queued_messages=settings.max_queued_messages_per_server,
            scrub_max_age_days=settings.scrub_max_age_days,
            flap=FlapConfig(
                settings.alert_flap_changes,
                timedelta(seconds=settings.alert_flap_window_seconds),
                timedelta(seconds=settings.alert_flap_settle_seconds),
            ),
            max_queued_per_channel=settings.notify_max_queued_per_channel,
        )

    def hold(self, kind: AlertKind) -> timedelta:
        """How long a condition must hold before it fires."""
        if kind in (AlertKind.SERVER_OFFLINE, AlertKind.VANISHED, AlertKind.READ_ONLY):
            return timedelta(0)  # offline_after_seconds and two heartbeats are holds already
        if kind in STORAGE_KINDS:
            return timedelta(0)  # judged from readings taken (an hour apart for drives)
        if kind is AlertKind.UNREACHABLE:
            return timedelta(seconds=max(self.hold_seconds, self.unreachable_seconds))
        return timedelta(seconds=self.hold_seconds)

    def repeat(self, severity: Severity) -> timedelta:
        if severity is Severity.CRITICAL:
            return timedelta(seconds=self.repeat_critical_seconds)
        return timedelta(seconds=self.repeat_warning_seconds)


@dataclass
class PassReport:
    servers: int = 0
    fired: int = 0
    resolved: int = 0
    queued: int = 0
    # Per server with a pending alert: when the first of them ends its hold (the runner wakes a
    # pass for it then, rather than waiting for the next full pass).
    due: dict[str, datetime] = field(default_factory=dict)
    # Per server passed: the time of the heartbeat its snapshot holds (the crossing check's
    # bands must be as new).
    snapshots: dict[str, datetime | None] = field(default_factory=dict)
    # Servers a narrow pass could not settle: judged whole next.
    widen: list[str] = field(default_factory=list)

    def add(self, other: "PassReport") -> None:
        self.servers += other.servers
        self.fired += other.fired
        self.resolved += other.resolved
        self.queued += other.queued
        self.due.update(other.due)
        self.snapshots.update(other.snapshots)


# A server's row as a pass reads it: id, hostname, display_name, last_seen_at,
# latest_heartbeat_at, filesystems, capacity_domains.
ServerRow = Row[Any]
# A mount's row as a pass reads it: the `_MOUNT_COLUMNS`, by name.
MountRow = Row[Any]
# The trend columns of each quantity a pass reads, from the forecast catalogue: growth, full_at,
# its range and whether it is confident (`growth_bytes_per_day`, …, `inodes_confident`).
_TREND_COLUMNS = {q: tuple(f.name(q) for f in ALERT_FIELDS) for q in QUANTITIES}
_MOUNT_COLUMNS = (
    Filesystem.id,
    Filesystem.server_id,
    Filesystem.mount_point,
    Filesystem.last_seen_at,
    Filesystem.dismissed_seen_at,
    AlertWatch.seen_writable,
    *(TREND.c[name] for q in QUANTITIES for name in _TREND_COLUMNS[q]),
)
# What a narrow pass reads of a mount: no trends (time to full is the full pass's).
_NAMED_MOUNT_COLUMNS = _MOUNT_COLUMNS[:6]
# Conditions that move with the clock (their trends, the days left): the full pass's.
FILL_KINDS = (AlertKind.TIME_TO_FULL, AlertKind.INODES_TIME_TO_FULL)
# The conditions a narrow pass judges on a mount it names: those of its figures and states.
NAMED_KINDS = MOUNT_KINDS - STORAGE_KINDS - set(FILL_KINDS)


def open_key(kind: AlertKind, server_id: str, mount: str | None) -> str:
    text = f"{kind}\x00{server_id}\x00{mount or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evaluate(
    engine: Engine,
    config: AlertConfig,
    now: datetime,
    server_ids: list[str] | None = None,
    scopes: Mapping[str, Scope] | None = None,
) -> PassReport:
    """One pass over these servers (all when None), each batch committed before the next; a
    server with a narrow scope is judged on what it names, the others whole."""
    scopes = scopes or {}
    total = PassReport()
    whole = server_ids
    if server_ids is not None:
        named = [s for s in server_ids if not scopes.get(s, WHOLE).whole]
        whole = [s for s in server_ids if scopes.get(s, WHOLE).whole]
        for start in range(0, len(named), MAX_SERVERS_PER_BATCH):
            batch = named[start : start + MAX_SERVERS_PER_BATCH]
            report = _evaluate_batch(engine, config, now, batch, scopes)
            total.add(report)
            whole += report.widen
    if whole is None or whole:
        for batch in server_batches(engine, whole, config.filesystems_per_batch):
            total.add(_evaluate_batch(engine, config, now, batch))
    return total


def server_batches(
    engine: Engine, server_ids: list[str] | None, filesystems_per_batch: int = FILESYSTEMS_PER_BATCH
) -> list[list[str]]:
    """These servers (all when None) in batches of about `filesystems_per_batch` filesystems."""
    query = _only(
        select(Server.id, func.count(Filesystem.id).label("filesystems"))
        .outerjoin(Filesystem, Filesystem.server_id == Server.id)
        .group_by(Server.id)
        .order_by(Server.id),
        Server.id,
        server_ids,
    )
    with Session(engine) as session:
        sizes = [(row.id, row.filesystems) for row in session.execute(query)]
    batches: list[list[str]] = []
    batch: list[str] = []
    weight = 0
    for server_id, count in sizes:
        if batch and (
            weight + count > filesystems_per_batch or len(batch) >= MAX_SERVERS_PER_BATCH
        ):
            batches.append(batch)
            batch, weight = [], 0
        batch.append(server_id)
        weight += count
    if batch:
        batches.append(batch)
    return batches


def _evaluate_batch(
    engine: Engine,
    config: AlertConfig,
    now: datetime,
    server_ids: list[str],
    scopes: Mapping[str, Scope] | None = None,
) -> PassReport:
    """Most passes change nothing, so each first looks without the lock (a plain read, which does
    not hold up the heartbeat writer); only when that look would change something is the pass
    run again under the lock, deciding afresh from what it then reads. A narrow pass (only
    servers with a scope) was woken by a band or state that changed, which nearly always moves
    an alert or its figures, so it takes the lock at once rather than read everything twice.
    """
    if scopes and all(not scopes.get(s, WHOLE).whole for s in server_ids):
        with Session(engine) as session, session.begin():
            exclusive_pass(session.connection(), ALERT_LOCK_ID)
            return AlertPass(session, config, now, scopes).run(server_ids)
    with Session(engine) as session, session.no_autoflush:
        report = AlertPass(session, config, now, scopes).run(server_ids)
        changed = _changes(session)
        session.rollback()
    if not changed:
        return report
    with Session(engine) as session, session.begin():
        exclusive_pass(session.connection(), ALERT_LOCK_ID)
        return AlertPass(session, config, now, scopes).run(server_ids)


def _changes(session: Session) -> bool:
    """Whether the session holds anything to write (an attribute set to its value is not)."""
    if session.new or session.deleted:
        return True
    return any(session.is_modified(obj) for obj in session.dirty)


def prune_history(engine: Engine, now: datetime, history_days: int) -> int:
    """Drop resolved alerts older than the history window."""
    cutoff = now - timedelta(days=history_days)
    with engine.begin() as conn:
        result = conn.execute(
            delete(Alert).where(Alert.state == AlertState.RESOLVED, Alert.resolved_at < cutoff)
        )
        return int(result.rowcount or 0)


class AlertPass:
    def __init__(
        self,
        session: Session,
        config: AlertConfig,
        now: datetime,
        scopes: Mapping[str, Scope] | None = None,
    ) -> None:
        self._session = session
        self._config = config
        self._now = now
        # Servers judged on what their scope names; the others whole.
        self._scopes = {s: scope for s, scope in (scopes or {}).items() if not scope.whole}
        self._report = PassReport()
        self._enqueuer = Enqueuer(
            session,
            now,
            config.group_seconds,
            config.max_queued_messages,
            max_per_channel=config.max_queued_per_channel,
        )
        self._flaps = FlapBook(session, [], config.flap, now)
        self._targets: list[Target] = []
        self._silences: dict[str, list[str | None]] = defaultdict(list)
        self._storage: StorageBook | None = None

    def run(self, server_ids: list[str] | None) -> PassReport:
        session = self._session
        # The columns a pass reads, not whole rows: metrics and OS info are left unparsed.
        columns = select(
            Server.id,
            Server.hostname,
            Server.display_name,
            Server.last_seen_at,
            Server.latest_heartbeat_at,
            Server.filesystems,
            Server.capacity_domains,
        )
        servers = list(session.execute(_only(columns, Server.id, server_ids)))
        if not servers:
            return self._report
        ids = [s.id for s in servers] if server_ids is not None else None
        book = load_policies(session, ids)
        alerts: dict[str, list[Alert]] = defaultdict(list)
        query = _only(select(Alert).where(Alert.open_key.is_not(None)), Alert.server_id, ids)
        for alert in session.scalars(query):
            alerts[alert.server_id].append(alert)
        mounts = self._mounts(ids)
        storage = ids
        if ids is not None and self._scopes:
            storage = [
                s for s in ids if self._scopes.get(s, WHOLE).whole or self._scopes[s].storage
            ]
        self._storage = StorageBook(session, storage)
        silences = _only(select(Silence).where(Silence.ends_at > self._now), Silence.server_id, ids)
        for silence in session.scalars(silences):
            self._silences[silence.server_id].append(silence.mount_pattern)
        self._targets = [*self._config.env_targets, *notify_channels.stored_targets(session)]
        self._flaps = FlapBook(session, ids, self._config.flap, self._now)
        for server in servers:
            self._server(server, book, alerts[server.id], mounts.get(server.id, {}))
        self._enqueuer.finish()
        self._report.servers = len(servers)
        self._report.queued = self._enqueuer.count
        return self._report

    def _mounts(self, ids: list[str] | None) -> dict[str, dict[str, MountRow]]:
        """Per server and mount: the mount's row, its alert watch and its stored trend (of the
        mounts named only, without trends, in a narrow pass)."""
        if self._scopes and ids is not None:
            return self._named_mounts(ids)
        query = _only(
            select(*_MOUNT_COLUMNS)
            .outerjoin(AlertWatch, AlertWatch.filesystem_id == Filesystem.id)
            .outerjoin(TREND, TREND.c.filesystem_id == Filesystem.id),
            Filesystem.server_id,
            ids,
        )
        mounts: dict[str, dict[str, MountRow]] = defaultdict(dict)
        for row in self._session.execute(query):
            mounts[row.server_id][row.mount_point] = row
        return mounts

    def _named_mounts(self, ids: list[str]) -> dict[str, dict[str, MountRow]]:
        """The rows of the mounts a narrow pass names, with their alert watch."""
        points = sorted({m for s in ids for m in self._scopes[s].mounts or ()})
        query = (
            select(*_NAMED_MOUNT_COLUMNS)
            .outerjoin(AlertWatch, AlertWatch.filesystem_id == Filesystem.id)
            .where(Filesystem.server_id.in_(ids))
        )
        if len(points) <= ID_CHUNK:  # else every mount of these servers: still one read
            query = query.where(Filesystem.mount_point.in_(points))
        mounts: dict[str, dict[str, MountRow]] = defaultdict(dict)
        for row in self._session.execute(query):
            mounts[row.server_id][row.mount_point] = row
        return mounts

    def _server(
        self,
        server: ServerRow,
        book: PolicyBook,
        alerts: list[Alert],
        mounts: dict[str, MountRow],
    ) -> None:
        status = status_at(server.last_seen_at, self._now, self._config.offline_after_seconds)
        offline = status is ServerStatus.OFFLINE
        scope = self._scopes.get(server.id)
        findings = Findings()
        if offline:
            findings.add(
                AlertKind.SERVER_OFFLINE,
                None,
                Severity.CRITICAL,
                offline_figures(server.last_seen_at),
            )
            findings.kept.update((a.kind, a.mount_point) for a in alerts)
        elif scope is not None:
            if not self._observe_named(server, book, alerts, mounts, scope, findings):
                self._report.widen.append(server.id)  # judged whole next, nothing changed here
                return
        else:
            self._observe_online(server, book, alerts, mounts, findings)
        self._report.snapshots[server.id] = server.latest_heartbeat_at
        for fs_id in findings.writable:
            self._session.add(AlertWatch(filesystem_id=fs_id, seen_writable=True))
        for alert in alerts:
            # Offline: a disk's alerts are not re-checked, and never resolved, until it is back.
            alert.unknown = offline and alert.kind in MOUNT_KINDS
        self._settle(server, alerts)
        self._reconcile(server, alerts, findings)
        self._tell_flapping(server)

    def _observe_named(  # noqa: PLR0917  (each argument is a separate fact)
        self,
        server: ServerRow,
        book: PolicyBook,
        alerts: list[Alert],
        mounts: dict[str, MountRow],
        scope: Scope,
        findings: Findings,
    ) -> bool:
        """The conditions of the mounts `scope` names (and of the drives and pools when it says
        so); every other open alert is kept. False, with nothing observed, when a narrow look
        cannot settle the server: a grouped alert open, a named mount gone from the snapshot,
        new conditions past the budget."""
        if any(a.mount_point is None and a.kind in MOUNT_KINDS for a in alerts):
            return False
        wanted = scope.mounts or frozenset()
        raw = server.filesystems
        # Only the named entries are parsed; a later entry of one mount point shadows an earlier.
        snapshot = parse_snapshot([fs for fs in raw if fs["mount_point"] in wanted] if raw else raw)
        named = {fs.mount_point: fs for fs in snapshot or ()}
        if snapshot is None or len(named) < len(wanted):
            return False
        current: dict[str | None, dict[AlertKind, Severity]] = defaultdict(dict)
        for alert in alerts:
            current[alert.mount_point][alert.kind] = alert.severity
            if alert.kind is AlertKind.SERVER_OFFLINE:
                continue  # online: resolves, as in a whole pass
            if alert.kind in STORAGE_KINDS:
                judged = scope.storage
            else:
                judged = alert.mount_point in named and alert.kind in NAMED_KINDS
            if not judged:
                findings.kept.add((alert.kind, alert.mount_point))
        if scope.storage and self._storage is not None:
            observe_drives(self._storage.drives[server.id], findings)
            scrub_max_age = timedelta(days=self._config.scrub_max_age_days)
            observe_pools(self._storage.pools[server.id], self._now, scrub_max_age, findings)
        for mount, fs in named.items():
            row = mounts.get(mount)
            facts = MountFacts(
                None if row is None else row.id, row is not None and bool(row.seen_writable), None
            )
            observe_mount(
                fs, book.policy(server.id, mount), facts, current[mount], self._now, findings
            )
            findings.keep(mount, FILL_KINDS)  # moves with the clock: the full pass's
        by_key = {(a.kind, a.mount_point): a for a in alerts}
        return not self._over_budget(by_key, findings)

    def _observe_online(
        self,
        server: ServerRow,
        book: PolicyBook,
        alerts: list[Alert],
        mounts: dict[str, MountRow],
        findings: Findings,
    ) -> None:
        current: dict[str | None, dict[AlertKind, Severity]] = defaultdict(dict)
        for alert in alerts:
            current[alert.mount_point][alert.kind] = alert.severity
        if self._storage is not None:
            observe_drives(self._storage.drives[server.id], findings)
            scrub_max_age = timedelta(days=self._config.scrub_max_age_days)
            observe_pools(self._storage.pools[server.id], self._now, scrub_max_age, findings)
        snapshot = parse_snapshot(server.filesystems)
        if snapshot is None:  # an agent that sends no filesystems: nothing to say about disks
            findings.kept.update((a.kind, a.mount_point) for a in alerts)
            return
        present: set[str] = set()
        for fs, forecast in self._dated(server, snapshot, mounts):
            mount = fs.mount_point
            present.add(mount)
            row = mounts.get(mount)
            facts = _facts(row, forecast)
            policy = book.policy(server.id, mount)
            observe_mount(fs, policy, facts, current[mount], self._now, findings)
        self._name_growers(server.id, findings)
        self._observe_gone(server.id, book, mounts, present, current, findings)

    def _name_growers(self, server_id: str, findings: Findings) -> None:
        """Time-to-full messages name what grew since the filesystem's previous usage scan;
        the scans are read only for a server with such a condition."""
        filling = [i for i, o in enumerate(findings.observed) if o.kind is AlertKind.TIME_TO_FULL]
        grown = recent_growth(self._session, server_id) if filling else {}
        for i in filling:
            obs = findings.observed[i]
            growth = grown.get(obs.mount_point or "")
            if growth is not None:
                figures = {**obs.figures, **grower_figures(growth)}
                message = describe(obs.kind, obs.mount_point, figures)
                findings.observed[i] = replace(obs, figures=figures, message=message)

    def _dated(
        self, server: ServerRow, snapshot: list[SnapshotFilesystem], mounts: dict[str, MountRow]
    ) -> list[Forecasted]:
        """Each filesystem with its fill date as the reads show it: its capacity domain's when
        the storage it shares fills first (services/fleet/fills.py)."""
        own = []
        for fs in snapshot:
            row = mounts.get(fs.mount_point)
            own.append((fs, {} if row is None else forecast_fields(row._mapping, self._now)))
        dated, _ = server_capacity(server.capacity_domains, own, self._now)
        return dated or []

    def _observe_gone(  # noqa: PLR0917  (each argument is a separate fact)
        self,
        server_id: str,
        book: PolicyBook,
        mounts: dict[str, MountRow],
        present: set[str],
        current: dict[str | None, dict[AlertKind, Severity]],
        findings: Findings,
    ) -> None:
        """Mounts with a row that the snapshot no longer lists: vanished after two heartbeats."""
        gone: list[tuple[str, MountRow, bool]] = []
        for mount, row in mounts.items():
            if mount in present or book.policy(server_id, mount).mode is MountMode.IGNORE:
                continue
            if row.dismissed_seen_at is not None and row.dismissed_seen_at >= row.last_seen_at:
                continue  # the operator dismissed this vanishing on the server page
            is_open = AlertKind.VANISHED in current[mount]
            if not (is_open or recently_seen(row.last_seen_at, self._now, LAST_SEEN_GRANULARITY)):
                continue
            gone.append((mount, row, is_open))
        if gone:
            counts = self._heartbeats_without(server_id, [row for _, row, _ in gone])
            for mount, row, is_open in gone:
                observe_vanished(mount, counts[row.id], is_open, findings)

    def _heartbeats_without(self, server_id: str, rows: list[MountRow]) -> dict[int, int]:
        """Per mount row: heartbeats of the server since its last sample (at most 3 counted).

        A few reads whatever the number of mounts: the newest samples grouped, and the server's
        three newest heartbeats, against which each mount's last sample is compared.
        """
        newest: dict[int, datetime] = {}
        ids = [row.id for row in rows]
        for start in range(0, len(ids), ID_CHUNK):
            query = (
                select(FilesystemSample.filesystem_id, func.max(FilesystemSample.sampled_at))
                .where(FilesystemSample.filesystem_id.in_(ids[start : start + ID_CHUNK]))
                .group_by(FilesystemSample.filesystem_id)
            )
            newest.update((fs_id, at) for fs_id, at in self._session.execute(query))
        latest = list(
            self._session.scalars(
                select(ServerMetric.sampled_at)
                .where(ServerMetric.server_id == server_id)
                .order_by(ServerMetric.sampled_at.desc())
                .limit(3)
            )
        )
        counts = {}
        for row in rows:
            last = newest.get(row.id)
            since = last if last is not None else row.last_seen_at
            counts[row.id] = sum(at > since for at in latest)
        return counts

    def _reconcile(self, server: ServerRow, alerts: list[Alert], findings: Findings) -> None:
        by_key = {(a.kind, a.mount_point): a for a in alerts}
        overflow = self._over_budget(by_key, findings)
        for obs in findings.observed:
            key = (obs.kind, obs.mount_point)
            if key not in overflow:
                self._apply(server, obs, by_key.pop(key, None))
        for obs in self._groups(server, overflow):
            key = (obs.kind, None)
            if key not in by_key:
                self._budget_warning(server.id, obs.message)
            self._apply(server, obs, by_key.pop(key, None))
        for key, alert in by_key.items():
            if key not in findings.kept:
                self._resolve(server, alert)

    def _over_budget(
        self, by_key: dict[tuple[AlertKind, str | None], Alert], findings: Findings
    ) -> dict[tuple[AlertKind, str | None], Observation]:
        """New mount conditions past the server's open-alert budget, by (kind, mount).

        Alerts already open stay as they are; new ones are admitted critical first, then the
        rest, vanished mounts last (by mount point), until the server holds `max_open_alerts`.
        """
        seen = {(o.kind, o.mount_point) for o in findings.observed}
        staying = sum(
            1 for key in by_key if key[1] is not None and (key in seen or key in findings.kept)
        )
        new = [
            o
            for o in findings.observed
            if o.mount_point is not None and (o.kind, o.mount_point) not in by_key
        ]
        room = max(self._config.max_open_alerts - staying, 0)
        if len(new) <= room:
            return {}
        new.sort(
            key=lambda o: (
                o.severity is not Severity.CRITICAL,
                o.kind is AlertKind.VANISHED,
                o.mount_point or "",
            )
        )
        return {(o.kind, o.mount_point): o for o in new[room:]}

    def _groups(
        self, server: ServerRow, overflow: dict[tuple[AlertKind, str | None], Observation]
    ) -> list[Observation]:
        """One server-wide alert per kind for the conditions past the budget."""
        by_kind: dict[AlertKind, list[Observation]] = defaultdict(list)
        for obs in overflow.values():
            by_kind[obs.kind].append(obs)
        name = server.display_name or server.hostname
        out = []
        for kind, group in sorted(by_kind.items()):
            mounts = sorted(o.mount_point or "" for o in group)
            worst = (
                Severity.CRITICAL
                if any(o.severity is Severity.CRITICAL for o in group)
                else Severity.WARNING
            )
            message = describe_group(kind, mounts, name, self._config.max_open_alerts)
            figures = {"count": len(mounts), "mounts": mounts[:GROUP_MOUNTS_KEPT]}
            out.append(Observation(kind, None, worst, message, figures))
        return out

    def _budget_warning(self, server_id: str, warning: str) -> None:
        # Through the ORM, not a statement: the look-ahead pass without the lock writes nothing.
        row = self._session.get(Server, server_id)
        if row is not None:
            row.budget_warning = warning
            row.budget_warning_at = self._now

    def _apply(self, server: ServerRow, obs: Observation, alert: Alert | None) -> None:
        if alert is None:
            alert = Alert(
                kind=obs.kind,
                server_id=server.id,
                mount_point=obs.mount_point,
                open_key=open_key(obs.kind, server.id, obs.mount_point),
                state=AlertState.PENDING,
                started_at=self._now,
                unknown=False,
            )
            self._session.add(alert)
        if _changed_since_acknowledged(alert, obs):
            # An acknowledged drive stays quiet until its counts change again: then it is new.
            alert.acknowledged_at = None
            alert.acknowledged_by = None
            alert.notified_at = None
        if alert.state == AlertState.FIRING and alert.severity != obs.severity:
            self._changed(server.id, alert, obs.severity)
        alert.severity = obs.severity
        alert.message = obs.message
        alert.figures = obs.figures
        if alert.state == AlertState.PENDING and self._now - alert.started_at >= (
            self._config.hold(obs.kind)
        ):
            alert.state = AlertState.FIRING
            alert.fired_at = self._now
            self._report.fired += 1
            self._changed(server.id, alert, obs.severity)
        if alert.state == AlertState.FIRING:
            self._notify_firing(server, alert)
        else:
            due = alert.started_at + self._config.hold(obs.kind)
            self._report.due[server.id] = min(due, self._report.due.get(server.id, due))

    def _notify_firing(self, server: ServerRow, alert: Alert) -> None:
        if self._silenced(server.id, alert.mount_point):
            return
        severity = alert.severity
        told = alert.notified_severity
        if alert.notified_at is None or told is None or severity.rank > told.rank:
            event = "firing"
        elif severity.rank < told.rank:
            alert.notified_severity = severity  # eased: repeats follow the new level
            return
        elif alert.acknowledged_at is None and (
            self._now - alert.notified_at >= self._config.repeat(severity)
        ):
            event = "repeat"
        else:
            return
        if not self._queue(event, server, alert, severity):
            return  # refused (a full queue): not told, so the next pass tries again
        alert.notified_at = self._now
        alert.notified_severity = severity

    def _resolve(self, server: ServerRow, alert: Alert) -> None:
        if alert.state == AlertState.PENDING:
            self._session.delete(alert)  # never fired: nothing to tell, nothing to keep
            return
        alert.state = AlertState.RESOLVED
        alert.resolved_at = self._now
        alert.open_key = None
        alert.unknown = False
        self._report.resolved += 1
        self._changed(server.id, alert, alert.severity)
        if alert.notified_at is not None and not self._silenced(server.id, alert.mount_point):
            self._queue("resolved", server, alert, alert.notified_severity or Severity.WARNING)

    def _silenced(self, server_id: str, mount: str | None) -> bool:
        for pattern in self._silences.get(server_id, ()):
            if pattern is None or (mount is not None and pattern_matches(pattern, mount)):
                return True
        return False

    def _queue(self, event: str, server: ServerRow, alert: Alert, severity: Severity) -> bool:
        """Whether the change counts as told (see `_queue_text`)."""
        if self._flaps.flapping(open_key(alert.kind, server.id, alert.mount_point)):
            return True  # held while it flaps: it was told once, and is told again when it settles
        name = server.display_name or server.hostname
        title, body = compose(event, alert, name, self._config.public_url, self._now)
        return self._queue_text(server.id, severity, str(severity), event, title, body)

    def _queue_text(  # noqa: PLR0917  (each argument is a separate fact)
        self, server_id: str, wanted: Severity, severity: str, event: str, title: str, body: str
    ) -> bool:
        """Queue for every channel taking `wanted`; False when every such channel refused it
        (its queue full), so the caller does not count it told and the next pass tries again.
        One channel taking it is enough: trying again would repeat it there."""
        wanting = accepted = 0
        for target in self._targets:
            if target.wants(wanted):
                wanting += 1
                outgoing = Outgoing(target.key, server_id, severity, event, title, body)
                accepted += self._enqueuer.add(outgoing)
        return wanting == 0 or accepted > 0

    def _changed(self, server_id: str, alert: Alert, severity: Severity) -> None:
        """A change of state of the alert's condition (fired, resolved, severity changed while
        firing): counted for flapping (flapping.py)."""
        key = open_key(alert.kind, server_id, alert.mount_point)
        self._flaps.change(key, server_id, alert.kind, alert.mount_point, severity)

    def _tell_flapping(self, server: ServerRow) -> None:
        """One message per condition of this server that started flapping in this pass, or that
        reached a worse severity than its last one announced (told to who takes that one)."""
        for flap in self._flaps.started(server.id) + self._flaps.worse(server.id):
            if self._silenced(server.id, flap.mount_point):
                flap.told_severity = flap.severity
                continue
            title, body = compose_flapping(
                server.display_name or server.hostname,
                server.id,
                flap.kind,
                flap.mount_point,
                changes=self._flaps.recent(flap),
                window=self._config.flap.window,
                settle=self._config.flap.settle,
                public_url=self._config.public_url,
            )
            severity = flap.severity
            if self._queue_text(server.id, severity, str(severity), "flapping", title, body):
                flap.told_severity = severity

    def _settle(self, server: ServerRow, alerts: list[Alert]) -> None:
        """One message per flapping condition of this server quiet for the settle time: what it
        is now. A firing alert counts as told by it, so its repeats run from here."""
        for settled in self._flaps.settle(server.id):
            if self._silenced(server.id, settled.mount_point):
                continue
            firing = next(
                (
                    a
                    for a in alerts
                    if (a.kind, a.mount_point) == (settled.kind, settled.mount_point)
                    and a.state == AlertState.FIRING
                ),
                None,
            )
            title, body = compose_settled(
                server.display_name or server.hostname,
                server.id,
                settled.kind,
                settled.mount_point,
                changes=settled.changes,
                quiet=settled.quiet,
                now_firing=firing,
                public_url=self._config.public_url,
            )
            severity = "ok" if firing is None else str(firing.severity)
            told = self._queue_text(server.id, settled.severity, severity, "settled", title, body)
            if firing is not None and told:
                firing.notified_at = self._now
                firing.notified_severity = firing.severity


def _changed_since_acknowledged(alert: Alert, obs: Observation) -> bool:
    if alert.acknowledged_at is None or obs.kind is not AlertKind.DRIVE_HEALTH:
        return False
    before = (alert.figures or {}).get("values")
    return before is not None and before != obs.figures.get("values")


def _only(query: Any, column: Any, ids: list[str] | None) -> Any:
    return query if ids is None else query.where(column.in_(ids))


def _trend(forecast: Mapping[Any, Any], quantity: ForecastQuantity) -> Trend | None:
    """A forecast of this quantity, when it is confident and has a date."""
    full_at, earliest, latest, confident = (
        forecast.get(f.name(quantity))
        for f in (FULL_AT, FULL_AT_EARLIEST, FULL_AT_LATEST, CONFIDENT)
    )
    if not confident or full_at is None:
        return None
    fills_with = forecast.get(FILL_DOMAIN_LABEL.name()) if quantity is BYTES else None
    return Trend(full_at, earliest, latest, fills_with)


def _facts(row: MountRow | None, forecast: Mapping[str, Any]) -> MountFacts:
    """A mount's stored facts from its `_mounts` row and its dated forecast; forecasts only when
    confident."""
    if row is None:
        return MountFacts(None, False, None)
    inodes = _trend(row._mapping, INODES)
    return MountFacts(row.id, bool(row.seen_writable), _trend(forecast, BYTES), inodes)
