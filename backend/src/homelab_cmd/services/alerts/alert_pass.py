"""One pass over a batch of servers in one session: read them, observe each (whole, or narrow
when a crossing named what changed), move their alerts pending→firing→resolved, and queue the
messages, held while a condition flaps."""

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Server, Silence
from homelab_cmd.domain.alerts import (
    MOUNT_KINDS,
    AlertKind,
    AlertState,
    Severity,
    pattern_matches,
)
from homelab_cmd.domain.servers import ServerStatus, status_at
from homelab_cmd.services.alerts.budget import groups, over_budget
from homelab_cmd.services.alerts.config import AlertConfig, PassReport
from homelab_cmd.services.alerts.crossings import WHOLE, Scope
from homelab_cmd.services.alerts.flapping import FlapBook
from homelab_cmd.services.alerts.messages import compose, compose_flapping, compose_settled
from homelab_cmd.services.alerts.narrow import named_mounts, observe_named
from homelab_cmd.services.alerts.observe import Findings, Observation, offline_figures
from homelab_cmd.services.alerts.pass_rows import AlertRow, PassRows
from homelab_cmd.services.alerts.rows import MountRow, ServerRow, mount_rows
from homelab_cmd.services.alerts.storage import StorageBook
from homelab_cmd.services.alerts.whole import observe_online
from homelab_cmd.services.levels import PolicyBook, load_policies
from homelab_cmd.services.notify.channels import Target, stored_targets
from homelab_cmd.services.notify.outbox import Enqueuer, Outgoing

# The columns a pass reads of a server, not whole rows: metrics and OS info are left unparsed.
# Built once, so a pass reuses their compiled forms.
_SERVERS = select(
    Server.id,
    Server.hostname,
    Server.display_name,
    Server.last_seen_at,
    Server.latest_heartbeat_at,
    Server.filesystems,
    Server.capacity_domains,
)
_SERVERS_OF = _SERVERS.where(Server.id.in_(bindparam("ids", expanding=True)))
_SILENCES = select(Silence.server_id, Silence.mount_pattern).where(
    Silence.ends_at > bindparam("now")
)
_SILENCES_OF = _SILENCES.where(Silence.server_id.in_(bindparam("ids", expanding=True)))


def open_key(kind: AlertKind, server_id: str, mount: str | None) -> str:
    text = f"{kind}\x00{server_id}\x00{mount or ''}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
        self._rows = PassRows()
        self._flaps = FlapBook(self._rows, config.flap, now)
        # The channels, read when the pass first has a message to queue.
        self._targets: list[Target] | None = None
        self._silences: dict[str, list[str | None]] = defaultdict(list)
        self._storage: StorageBook | None = None

    def run(self, server_ids: list[str] | None) -> PassReport:
        session = self._session
        conn = session.connection()
        if server_ids is None:
            servers = list(conn.execute(_SERVERS))
        else:
            servers = list(conn.execute(_SERVERS_OF, {"ids": server_ids}))
        if not servers:
            return self._report
        ids = [s.id for s in servers] if server_ids is not None else None
        book = load_policies(conn, ids)
        alerts: dict[str, list[AlertRow]] = defaultdict(list)
        for alert in self._rows.read_alerts(conn, ids):
            alerts[alert.server_id].append(alert)
        mounts = self._mounts(ids)
        storage = ids
        if ids is not None and self._scopes:
            storage = [
                s for s in ids if self._scopes.get(s, WHOLE).whole or self._scopes[s].storage
            ]
        self._storage = StorageBook(session, storage)
        if ids is None:
            silences = conn.execute(_SILENCES, {"now": self._now})
        else:
            silences = conn.execute(_SILENCES_OF, {"now": self._now, "ids": ids})
        for server_id, mount_pattern in silences:
            self._silences[server_id].append(mount_pattern)
        self._flaps = FlapBook(self._rows, self._config.flap, self._now, conn=conn, ids=ids)
        for server in servers:
            self._server(server, book, alerts[server.id], mounts.get(server.id, {}))
        self._enqueuer.finish()
        self._report.servers = len(servers)
        self._report.queued = self._enqueuer.count
        return self._report

    def changed(self) -> bool:
        """Whether the pass has anything to write (an attribute set to its value is not)."""
        session = self._session
        if self._rows.changed() or session.new or session.deleted:
            return True
        return any(session.is_modified(obj) for obj in session.dirty)

    def write(self) -> None:
        """Write the alert, flap and watch rows the pass changed (its messages and a budget
        warning are in the session, written by its commit)."""
        self._rows.write(self._session.connection())

    def _mounts(self, ids: list[str] | None) -> dict[str, dict[str, MountRow]]:
        """Per server and mount: the mount's row, its alert watch and its stored trend (of the
        mounts named only, without trends, in a narrow pass)."""
        if self._scopes and ids is not None:
            return named_mounts(self._session.connection(), self._scopes, ids)
        return mount_rows(self._session, ids)

    def _server(
        self,
        server: ServerRow,
        book: PolicyBook,
        alerts: list[AlertRow],
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
            if not observe_named(
                server,
                book,
                alerts,
                mounts,
                scope,
                findings,
                storage=self._storage,
                config=self._config,
                now=self._now,
            ):
                self._report.widen.append(server.id)  # judged whole next, nothing changed here
                return
        else:
            observe_online(
                self._session,
                server,
                book,
                alerts,
                mounts,
                findings,
                storage=self._storage,
                config=self._config,
                now=self._now,
            )
        self._report.snapshots[server.id] = server.latest_heartbeat_at
        for fs_id in findings.writable:
            self._rows.watch(fs_id)
        for alert in alerts:
            # Offline: a disk's alerts are not re-checked, and never resolved, until it is back.
            alert.unknown = offline and alert.kind in MOUNT_KINDS
        self._settle(server, alerts)
        self._reconcile(server, alerts, findings)
        self._tell_flapping(server)

    def _reconcile(self, server: ServerRow, alerts: list[AlertRow], findings: Findings) -> None:
        by_key = {(a.kind, a.mount_point): a for a in alerts}
        overflow = over_budget(by_key, findings, self._config.max_open_alerts)
        for obs in findings.observed:
            key = (obs.kind, obs.mount_point)
            if key not in overflow:
                self._apply(server, obs, by_key.pop(key, None))
        for obs in groups(server, overflow, self._config.max_open_alerts):
            key = (obs.kind, None)
            if key not in by_key:
                self._budget_warning(server.id, obs.message)
            self._apply(server, obs, by_key.pop(key, None))
        for key, alert in by_key.items():
            if key not in findings.kept:
                self._resolve(server, alert)

    def _budget_warning(self, server_id: str, warning: str) -> None:
        # Through the ORM, not a statement: the look-ahead pass without the lock writes nothing.
        row = self._session.get(Server, server_id)
        if row is not None:
            row.budget_warning = warning
            row.budget_warning_at = self._now

    def _apply(self, server: ServerRow, obs: Observation, alert: AlertRow | None) -> None:
        if alert is None:
            alert = AlertRow(
                kind=obs.kind,
                server_id=server.id,
                mount_point=obs.mount_point,
                open_key=open_key(obs.kind, server.id, obs.mount_point),
                state=AlertState.PENDING,
                severity=obs.severity,
                started_at=self._now,
            )
            self._rows.add_alert(alert)
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

    def _notify_firing(self, server: ServerRow, alert: AlertRow) -> None:
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

    def _resolve(self, server: ServerRow, alert: AlertRow) -> None:
        if alert.state == AlertState.PENDING:
            self._rows.delete_alert(alert)  # never fired: nothing to tell, nothing to keep
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

    def _queue(self, event: str, server: ServerRow, alert: AlertRow, severity: Severity) -> bool:
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
        if self._targets is None:
            self._targets = [
                *self._config.env_targets,
                *stored_targets(self._session.connection()),
            ]
        wanting = accepted = 0
        for target in self._targets:
            if target.wants(wanted):
                wanting += 1
                outgoing = Outgoing(target.key, server_id, severity, event, title, body)
                accepted += self._enqueuer.add(outgoing)
        return wanting == 0 or accepted > 0

    def _changed(self, server_id: str, alert: AlertRow, severity: Severity) -> None:
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

    def _settle(self, server: ServerRow, alerts: list[AlertRow]) -> None:
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


def _changed_since_acknowledged(alert: AlertRow, obs: Observation) -> bool:
    if alert.acknowledged_at is None or obs.kind is not AlertKind.DRIVE_HEALTH:
        return False
    before = (alert.figures or {}).get("values")
    return before is not None and before != obs.figures.get("values")
