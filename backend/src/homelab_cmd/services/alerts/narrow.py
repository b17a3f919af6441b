"""The narrow pass: a pass woken by a crossing judges only what the crossing check named
(crossings.Scope): those mounts' figures and states, and the drives and pools when they changed;
the server's other open alerts are kept as they are, since nothing behind them changed since the
pass before (what moves with the clock is the full pass's). A server such a narrow look cannot
settle (a grouped alert open, conditions past its budget, a named mount no longer in the
snapshot) is judged whole in the same pass (evaluation.py).
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, select

from homelab_cmd.db.models import AlertWatch, Filesystem
from homelab_cmd.domain.alerts import MOUNT_KINDS, STORAGE_KINDS, AlertKind, Severity
from homelab_cmd.domain.snapshot import parse_snapshot
from homelab_cmd.services.alerts.budget import over_budget
from homelab_cmd.services.alerts.config import AlertConfig
from homelab_cmd.services.alerts.crossings import Scope
from homelab_cmd.services.alerts.observe import Findings, MountFacts, observe_mount
from homelab_cmd.services.alerts.pass_rows import AlertRow
from homelab_cmd.services.alerts.rows import ID_CHUNK, MOUNT_COLUMNS, MountRow, ServerRow
from homelab_cmd.services.alerts.storage import StorageBook, observe_drives, observe_pools
from homelab_cmd.services.levels import PolicyBook

# What a narrow pass reads of a mount: no trends (time to full is the full pass's).
NAMED_MOUNT_COLUMNS = MOUNT_COLUMNS[:6]
# Conditions that move with the clock (their trends, the days left): the full pass's.
FILL_KINDS = (AlertKind.TIME_TO_FULL, AlertKind.INODES_TIME_TO_FULL)
# The conditions a narrow pass judges on a mount it names: those of its figures and states.
NAMED_KINDS = MOUNT_KINDS - STORAGE_KINDS - set(FILL_KINDS)


# Built once, so a pass reuses their compiled forms.
_NAMED = (
    select(*NAMED_MOUNT_COLUMNS)
    .outerjoin(AlertWatch, AlertWatch.filesystem_id == Filesystem.id)
    .where(Filesystem.server_id.in_(bindparam("ids", expanding=True)))
)
_NAMED_POINTS = _NAMED.where(Filesystem.mount_point.in_(bindparam("points", expanding=True)))


def named_mounts(
    conn: Connection, scopes: Mapping[str, Scope], ids: list[str]
) -> dict[str, dict[str, MountRow]]:
    """The rows of the mounts a narrow pass names, with their alert watch."""
    points = sorted({m for s in ids for m in scopes[s].mounts or ()})
    if len(points) <= ID_CHUNK:
        rows = conn.execute(_NAMED_POINTS, {"ids": ids, "points": points})
    else:  # every mount of these servers: still one read
        rows = conn.execute(_NAMED, {"ids": ids})
    mounts: dict[str, dict[str, MountRow]] = defaultdict(dict)
    for row in rows:
        mounts[row.server_id][row.mount_point] = row
    return mounts


def observe_named(  # noqa: PLR0917  (each argument is a separate fact)
    server: ServerRow,
    book: PolicyBook,
    alerts: list[AlertRow],
    mounts: dict[str, MountRow],
    scope: Scope,
    findings: Findings,
    *,
    storage: StorageBook | None,
    config: AlertConfig,
    now: datetime,
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
    if scope.storage and storage is not None:
        observe_drives(storage.drives[server.id], findings)
        scrub_max_age = timedelta(days=config.scrub_max_age_days)
        observe_pools(storage.pools[server.id], now, scrub_max_age, findings)
    for mount, fs in named.items():
        row = mounts.get(mount)
        facts = MountFacts(
            None if row is None else row.id, row is not None and bool(row.seen_writable), None
        )
        observe_mount(fs, book.policy(server.id, mount), facts, current[mount], now, findings)
        findings.keep(mount, FILL_KINDS)  # moves with the clock: the full pass's
    by_key = {(a.kind, a.mount_point): a for a in alerts}
    return not over_budget(by_key, findings, config.max_open_alerts)
