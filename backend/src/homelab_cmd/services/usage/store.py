"""Usage scans from a heartbeat into rows, in the heartbeat writer's transaction.

A scan closes the request it answers (done, or failed when it could not run), a scan in
progress moves its request to running with the agent's count of entries, and the answer to
every heartbeat lists the server's open requests: one indexed read per batch of heartbeats.
"""

import json
import logging
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, delete, func, insert, select, update

from homelab_cmd.db.tables import FILESYSTEM, USAGE_SCAN, USAGE_SCAN_REQUEST
from homelab_cmd.domain.filesystems import mount_key
from homelab_cmd.domain.usage import (
    OPEN_STATES,
    REQUEST_LIFETIME,
    RESCAN_AFTER,
    SCANS_KEPT,
    SCANS_WITH_TREE_KEPT,
    UsageScanState,
    growth,
    is_complete,
    where_it_happened,
)
from homelab_cmd.schemas.usage import UsageScanOrder, UsageScanReport, UsageScanRunning
from homelab_cmd.services.usage import tree

log = logging.getLogger(__name__)
# Growers kept on each scan for the alert message (which names three), each change once.
GROWERS_KEPT = 10
# Stored trees of one server, in characters of their JSON: past this the oldest scans go, first
# those beyond the two newest with a tree of each filesystem (a scan is at most ~8 MiB, the
# agent sends at most 256 KiB; docs/limits.md).
MAX_SCAN_CHARS_PER_SERVER = 20 * 1024 * 1024
SCAN = USAGE_SCAN
REQUEST = USAGE_SCAN_REQUEST


def store_usage(
    conn: Connection,
    server_id: str,
    scans: Sequence[UsageScanReport] | None,
    running: UsageScanRunning | None,
    at: datetime,
) -> None:
    """A heartbeat's usage fields: the progress of the running scan, then the finished ones."""
    if running is not None:
        record_progress(conn, server_id, running)
    for scan in scans or ():
        store_scan(conn, server_id, scan, at)


def record_progress(conn: Connection, server_id: str, running: UsageScanRunning) -> None:
    """Mark the request the running scan answers as running, with the entries seen so far."""
    if running.request_id is None:
        return  # a scan nobody asked for has no request to show progress on
    key = mount_key(running.mount_point)
    conn.execute(
        update(REQUEST)
        .where(_open_request(server_id, running.request_id, key))
        .values(
            state=UsageScanState.RUNNING, started_at=running.started_at, entries=running.entries
        )
    )


def store_scan(conn: Connection, server_id: str, scan: UsageScanReport, at: datetime) -> bool:
    """Store one finished scan taken at `at` (the heartbeat's instant); False when dropped.

    A scan is kept when it answers an open request of this server for that mount. One nobody
    asked for (or whose request expired) is kept only for a filesystem of the server and at
    most once a day per filesystem: an agent's unasked scans cannot fill the database. Past
    MAX_SCAN_CHARS_PER_SERVER the server's oldest scans go.
    """
    key = mount_key(scan.mount_point)
    answered = scan.request_id is not None and _close_request(conn, server_id, key, scan, at)
    if not answered and not _known_filesystem(conn, server_id, key):
        log.info(
            "usage scan of %r from %s dropped: no such filesystem", scan.mount_point, server_id
        )
        return False
    if not answered and _unasked_lately(conn, server_id, key, at):
        log.info(
            "usage scan of %r from %s dropped: one nobody asked for was kept within a day",
            scan.mount_point,
            server_id,
        )
        return False
    row = {
        "server_id": server_id,
        "mount_key": key,
        "mount_point": scan.mount_point,
        "taken_at": at,
        # Only the request it answered: an unknown id would make it look asked for.
        "request_id": scan.request_id if answered else None,
        "started_at": scan.started_at,
        "duration_seconds": scan.duration_seconds,
        "entries": scan.entries,
        "unreadable": scan.unreadable,
        "stopped_by": scan.stopped_by,
        "links_over_budget": scan.links_over_budget,
        "error": scan.error,
        "total_bytes": scan.total_bytes,
        "directory_count": len(scan.directories),
        "directories": tree.encode(scan.directories),
        "top_growth": None,
        "growth_since": None,
    }
    if scan.directories and is_complete(scan.stopped_by, scan.links_over_budget):
        row.update(_top_growth(conn, server_id, key, scan, at))
    new_id = conn.execute(insert(SCAN).returning(SCAN.c.id), row).scalar_one()
    _prune(conn, server_id, key)
    _cap_server(conn, server_id, new_id)
    return True


def _open_request(server_id: str, request_id: str, key: str) -> ColumnElement[bool]:
    return and_(
        REQUEST.c.id == request_id,
        REQUEST.c.server_id == server_id,
        REQUEST.c.mount_key == key,
        REQUEST.c.open_key.is_not(None),
    )


def _close_request(
    conn: Connection, server_id: str, key: str, scan: UsageScanReport, at: datetime
) -> bool:
    assert scan.request_id is not None
    state = UsageScanState.FAILED if scan.error is not None else UsageScanState.DONE
    result = conn.execute(
        update(REQUEST)
        .where(_open_request(server_id, scan.request_id, key))
        .values(
            state=state,
            open_key=None,
            finished_at=at,
            started_at=scan.started_at,
            entries=scan.entries,
        )
    )
    return bool(result.rowcount)


def _unasked_lately(conn: Connection, server_id: str, key: str, at: datetime) -> bool:
    query = select(SCAN.c.id).where(
        SCAN.c.server_id == server_id,
        SCAN.c.mount_key == key,
        SCAN.c.request_id.is_(None),
        SCAN.c.taken_at > at - RESCAN_AFTER,
    )
    return conn.execute(query.limit(1)).first() is not None


def _cap_server(conn: Connection, server_id: str, keep_id: int) -> None:
    """Past MAX_SCAN_CHARS_PER_SERVER of stored trees, delete the server's oldest scans: first
    those beyond the two newest with a tree of each filesystem, then those too; never `keep_id`
    (the scan just stored)."""
    size = func.coalesce(func.length(SCAN.c.directories), 0)
    rows = conn.execute(
        select(SCAN.c.id, SCAN.c.mount_key, SCAN.c.directory_count, size.label("chars"))
        .where(SCAN.c.server_id == server_id)
        .order_by(SCAN.c.taken_at.desc(), SCAN.c.id.desc())
    ).all()
    total = sum(row.chars for row in rows)
    if total <= MAX_SCAN_CHARS_PER_SERVER:
        return
    trees: dict[str, int] = defaultdict(int)
    kept_first: list[tuple[bool, int, int]] = []  # (protected, age rank, id), oldest last
    for rank, row in enumerate(rows):
        protected = row.directory_count > 0 and trees[row.mount_key] < SCANS_WITH_TREE_KEPT
        trees[row.mount_key] += row.directory_count > 0
        kept_first.append((protected, -rank, row.id))
    chars = {row.id: row.chars for row in rows}
    drop: list[int] = []
    for _, _, scan_id in sorted(kept_first):  # unprotected first, oldest first
        if total <= MAX_SCAN_CHARS_PER_SERVER:
            break
        if scan_id == keep_id:
            continue
        drop.append(scan_id)
        total -= chars[scan_id]
    log.info("usage scans of %s over their cap: %d oldest deleted", server_id, len(drop))
    conn.execute(delete(SCAN).where(SCAN.c.id.in_(drop)))


def _known_filesystem(conn: Connection, server_id: str, key: str) -> bool:
    query = select(FILESYSTEM.c.id).where(
        FILESYSTEM.c.server_id == server_id, FILESYSTEM.c.mount_key == key
    )
    return conn.execute(query).first() is not None


def _top_growth(
    conn: Connection, server_id: str, key: str, scan: UsageScanReport, at: datetime
) -> dict[str, object]:
    """The largest growers of a complete scan against the newest earlier complete scan with a
    tree, if one is kept, each change named once where it happened (domain/usage.py
    where_it_happened). A partial scan is never the baseline: its sizes are bounds."""
    query = (
        select(SCAN.c.taken_at, SCAN.c.directories)
        .where(
            SCAN.c.server_id == server_id,
            SCAN.c.mount_key == key,
            SCAN.c.directory_count > 0,
            complete_scan(),
            SCAN.c.taken_at <= at,
        )
        .order_by(SCAN.c.taken_at.desc(), SCAN.c.id.desc())
        .limit(1)
    )
    previous = conn.execute(query).first()
    if previous is None:
        return {}
    now = [(d.path, d.bytes) for d in scan.directories]
    changes = growth(tree.sizes(previous.directories), now)
    grown = [g for g in where_it_happened(changes, scan.mount_point) if g.change > 0]
    rows = [[g.path, g.bytes_then, g.bytes_now] for g in grown[:GROWERS_KEPT]]
    return {
        "top_growth": json.dumps(rows, separators=(",", ":"), ensure_ascii=False),
        "growth_since": previous.taken_at,
    }


def complete_scan() -> ColumnElement[bool]:
    """A stored scan whose sizes can be compared (domain/usage.py is_complete)."""
    return and_(SCAN.c.stopped_by.is_(None), SCAN.c.links_over_budget == 0)


def _prune(conn: Connection, server_id: str, key: str) -> None:
    """Keep the newest SCANS_KEPT scans, and never fewer than SCANS_WITH_TREE_KEPT with a tree,
    nor fewer than SCANS_WITH_TREE_KEPT complete ones with a tree (what growth compares)."""
    query = (
        select(SCAN.c.id, SCAN.c.directory_count, SCAN.c.stopped_by, SCAN.c.links_over_budget)
        .where(SCAN.c.server_id == server_id, SCAN.c.mount_key == key)
        .order_by(SCAN.c.taken_at.desc(), SCAN.c.id.desc())
    )
    drop: list[int] = []
    trees = complete_trees = 0
    for index, row in enumerate(conn.execute(query)):
        has_tree = row.directory_count > 0
        complete = has_tree and is_complete(row.stopped_by, row.links_over_budget)
        if (
            index < SCANS_KEPT
            or (has_tree and trees < SCANS_WITH_TREE_KEPT)
            or (complete and complete_trees < SCANS_WITH_TREE_KEPT)
        ):
            trees += has_tree
            complete_trees += complete
        else:
            drop.append(row.id)
    if drop:
        conn.execute(delete(SCAN).where(SCAN.c.id.in_(drop)))


def any_open_order(conn: Connection, now: datetime) -> bool:
    """Whether any server has an open request: most of the time none has."""
    query = (
        select(REQUEST.c.id)
        .where(REQUEST.c.open_key.is_not(None), REQUEST.c.requested_at > now - REQUEST_LIFETIME)
        .limit(1)
    )
    return conn.execute(query).first() is not None


def open_orders(
    conn: Connection, server_ids: Collection[str], now: datetime
) -> dict[str, list[UsageScanOrder]]:
    """Each server's open requests, oldest first: what the heartbeat answers list.

    Requests older than REQUEST_LIFETIME are left out even before the maintenance pass marks
    them expired.
    """
    if not server_ids:
        return {}
    query = (
        select(REQUEST.c.server_id, REQUEST.c.id, REQUEST.c.mount_point)
        .where(
            REQUEST.c.server_id.in_(sorted(server_ids)),
            REQUEST.c.state.in_(OPEN_STATES),
            REQUEST.c.requested_at > now - REQUEST_LIFETIME,
        )
        .order_by(REQUEST.c.requested_at, REQUEST.c.id)
    )
    orders: dict[str, list[UsageScanOrder]] = defaultdict(list)
    for row in conn.execute(query):
        orders[row.server_id].append(UsageScanOrder(id=row.id, mount_point=row.mount_point))
    return orders
