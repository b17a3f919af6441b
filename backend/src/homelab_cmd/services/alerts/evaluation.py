"""One evaluation pass: observe servers, move their alerts along, queue the messages.

A pass that changes anything holds the alert lock from its first read (BEGIN IMMEDIATE on
SQLite, an advisory lock on PostgreSQL), and queues its messages in the same transaction as the
state change behind them: two hubs on one database never both move an alert, so never both send
"resolved".

A pass woken by a crossing judges only what the crossing check named (narrow.py); a server such
a narrow look cannot settle is judged whole in the same pass. The pass over one batch of servers
is alert_pass.py's.
"""

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, select
from sqlalchemy.orm import Session

from homelab_cmd.db.locks import ALERT_LOCK_ID, exclusive_pass
from homelab_cmd.db.models import Alert, Filesystem, Server
from homelab_cmd.domain.alerts import AlertState
from homelab_cmd.services.alerts.alert_pass import AlertPass
from homelab_cmd.services.alerts.config import FILESYSTEMS_PER_BATCH, AlertConfig, PassReport
from homelab_cmd.services.alerts.crossings import WHOLE, Scope
from homelab_cmd.services.alerts.rows import only

__all__ = [
    "FILESYSTEMS_PER_BATCH",
    "MAX_SERVERS_PER_BATCH",
    "AlertConfig",
    "PassReport",
    "evaluate",
    "prune_history",
    "server_batches",
]

MAX_SERVERS_PER_BATCH = 500
# Where a narrow pass runs: given the locked pass as a function of a connection, runs it on the
# connection it chooses (on SQLite the heartbeat writer's, HeartbeatWriter.call, so the pass's
# commit leaves the writer's page cache warm); None: a connection of its own.
WriteOn = Callable[[Callable[[Connection], PassReport]], PassReport]


def evaluate(
    engine: Engine,
    config: AlertConfig,
    now: datetime,
    server_ids: list[str] | None = None,
    scopes: Mapping[str, Scope] | None = None,
    *,
    write_on: WriteOn | None = None,
) -> PassReport:
    """One pass over these servers (all when None), each batch committed before the next; a
    server with a narrow scope is judged on what it names (on `write_on`'s connection), the
    others whole."""
    scopes = scopes or {}
    total = PassReport()
    whole = server_ids
    if server_ids is not None:
        named = [s for s in server_ids if not scopes.get(s, WHOLE).whole]
        whole = [s for s in server_ids if scopes.get(s, WHOLE).whole]
        for start in range(0, len(named), MAX_SERVERS_PER_BATCH):
            batch = named[start : start + MAX_SERVERS_PER_BATCH]
            report = _evaluate_batch(engine, config, now, batch, scopes, write_on=write_on)
            total.add(report)
            whole += report.widen
    if whole is None or whole:
        for batch in server_batches(engine, whole, config.filesystems_per_batch):
            total.add(_evaluate_batch(engine, config, now, batch, write_on=write_on))
    return total


def server_batches(
    engine: Engine, server_ids: list[str] | None, filesystems_per_batch: int = FILESYSTEMS_PER_BATCH
) -> list[list[str]]:
    """These servers (all when None) in batches of about `filesystems_per_batch` filesystems."""
    query = only(
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
    *,
    write_on: WriteOn | None = None,
) -> PassReport:
    """Most passes change nothing, so each first looks without the lock (a plain read, which does
    not hold up the heartbeat writer); only when that look would change something is the pass
    run again under the lock, deciding afresh from what it then reads. A narrow pass (only
    servers with a scope) was woken by a band or state that changed, which nearly always moves
    an alert or its figures, so it takes the lock at once rather than read everything twice;
    and it runs where `write_on` says (the pass under a storm of crossings, so the one whose
    commits would otherwise discard the writer's cache several times a second). A whole pass
    keeps a connection of its own: it reads every mount of its servers, which would fill the
    writer's cache with them.
    """

    def locked(bind: Engine | Connection) -> PassReport:
        return _locked_pass(bind, config, now, server_ids, scopes)

    if scopes and all(not scopes.get(s, WHOLE).whole for s in server_ids):
        return locked(engine) if write_on is None else write_on(locked)
    with Session(engine) as session, session.no_autoflush:
        look = AlertPass(session, config, now, scopes)
        report = look.run(server_ids)
        changed = look.changed()
        session.rollback()
    if not changed:
        return report
    return locked(engine)


def _locked_pass(
    bind: Engine | Connection,
    config: AlertConfig,
    now: datetime,
    server_ids: list[str],
    scopes: Mapping[str, Scope] | None,
) -> PassReport:
    """The pass under the alert lock, its changes written in its transaction (one it begins on
    `bind`)."""
    with Session(bind) as session, session.begin():
        exclusive_pass(session.connection(), ALERT_LOCK_ID)
        alert_pass = AlertPass(session, config, now, scopes)
        report = alert_pass.run(server_ids)
        alert_pass.write()
        return report


def prune_history(engine: Engine, now: datetime, history_days: int) -> int:
    """Drop resolved alerts older than the history window."""
    cutoff = now - timedelta(days=history_days)
    with engine.begin() as conn:
        result = conn.execute(
            delete(Alert).where(Alert.state == AlertState.RESOLVED, Alert.resolved_at < cutoff)
        )
        return int(result.rowcount or 0)
