"""Asking agents for usage scans: a person's click, or the hub when a fill date comes near.

A filesystem has at most one open request (pending or running): asking again returns it. An
open request no scan answered within REQUEST_LIFETIME expires.
"""

import secrets
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Filesystem, Server
from homelab_cmd.db.models import UsageScanRequest as RequestRow
from homelab_cmd.db.tables import USAGE_SCAN, USAGE_SCAN_REQUEST
from homelab_cmd.db.upsert import insert_ignore
from homelab_cmd.domain.alerts import MountMode
from homelab_cmd.domain.filesystems import LAST_SEEN_GRANULARITY, mount_key
from homelab_cmd.domain.snapshot import parse_snapshot
from homelab_cmd.domain.usage import (
    CLOSED_KEPT,
    REQUEST_LIFETIME,
    RESCAN_AFTER,
    RequestedBy,
    UsageScanState,
    is_network_fs,
)
from homelab_cmd.errors import FilesystemNotAnswering, FilesystemNotFound
from homelab_cmd.schemas.usage import UsageScanRequest
from homelab_cmd.services import audit
from homelab_cmd.services.levels import load_policies

REQUEST = USAGE_SCAN_REQUEST
ID_BYTES = 16


class OpenedRequests:
    """How many requests people made through this process, each counted once committed: the
    heartbeat writer, which believes "no server has an open request" for a second at a time,
    reads them again at once when this moved."""

    def __init__(self) -> None:
        self.count = 0

    def opened(self) -> None:
        self.count += 1


OPENED = OpenedRequests()


def request_scan(
    session: Session, server: Server, mount_point: str, now: datetime, *, actor: str
) -> UsageScanRequest:
    """A person's request for a scan of a filesystem of the server's latest snapshot.

    The filesystem's open request is returned when there is one, rather than a second one. A
    mount the agent reports as unreachable or missing is refused: its scan would hang or find
    an empty directory.
    """
    snapshot = parse_snapshot(server.filesystems) or []
    found = next((fs for fs in snapshot if fs.mount_point == mount_point), None)
    if found is None:
        raise FilesystemNotFound(server.id, mount_point)
    if not found.answered:
        raise FilesystemNotAnswering(mount_point, found.state)
    conn = session.connection()
    expire_requests(conn, now, server_id=server.id)
    created = open_request(conn, server.id, mount_point, RequestedBy.PERSON, now)
    if created:
        audit.record(
            session,
            "usage_scan.requested",
            actor,
            now,
            target=server.id,
            detail=f"mount point {mount_point!r}",
        )
    row = session.scalars(
        select(RequestRow).where(
            RequestRow.server_id == server.id,
            RequestRow.open_key == mount_key(mount_point),
        )
    ).one()
    answer = UsageScanRequest.model_validate(row, from_attributes=True)
    session.commit()
    OPENED.opened()
    return answer


def open_request(
    conn: Connection, server_id: str, mount_point: str, by: RequestedBy, now: datetime
) -> bool:
    """Open a request for the filesystem unless one is open already; True when this opened it.

    The (server, open_key) uniqueness makes the insert a no-op when another request is open,
    even from a second hub at the same moment.
    """
    key = mount_key(mount_point)
    row = {
        "id": secrets.token_hex(ID_BYTES),
        "server_id": server_id,
        "mount_key": key,
        "mount_point": mount_point,
        "open_key": key,
        "requested_at": now,
        "requested_by": by,
        "state": UsageScanState.PENDING,
    }
    statement = insert_ignore(REQUEST, conn.dialect).returning(REQUEST.c.id)
    return conn.execute(statement, row).first() is not None


def expire_requests(conn: Connection, now: datetime, *, server_id: str | None = None) -> int:
    """Close the open requests no scan answered within REQUEST_LIFETIME; how many."""
    where = [REQUEST.c.open_key.is_not(None), REQUEST.c.requested_at <= now - REQUEST_LIFETIME]
    if server_id is not None:
        where.append(REQUEST.c.server_id == server_id)
    result = conn.execute(
        update(REQUEST)
        .where(*where)
        .values(state=UsageScanState.EXPIRED, open_key=None, finished_at=now)
    )
    return max(result.rowcount, 0)


def prune_closed(conn: Connection, now: datetime) -> int:
    """Delete requests closed longer than CLOSED_KEPT ago, so the table stays small."""
    result = conn.execute(
        delete(REQUEST).where(
            REQUEST.c.open_key.is_(None), REQUEST.c.finished_at < now - CLOSED_KEPT
        )
    )
    return max(result.rowcount, 0)


def request_for_forecasts(
    session: Session, now: datetime, filling: Collection[tuple[str, str]]
) -> int:
    """Ask for a scan of each filesystem of `filling` ((server id, mount point): those whose
    confident fill date comes within the horizon) whose last scan is older than RESCAN_AFTER
    (or that was never scanned); how many were asked. Open requests past REQUEST_LIFETIME
    expire first, and requests closed over CLOSED_KEPT ago are deleted, whatever `filling` is.

    The fill date is the one people see and the alert uses: the filesystem's own, or its
    capacity domain's when the storage it shares fills first. Finding it takes the fleet's
    reads, a line above this package, so the maintenance pass gathers `filling` and hands it here.

    Left out: network filesystems (by type, by a device naming a server, or on a capacity
    domain the agent calls `network`), mounts set to `ignore`, mounts not reported lately, and
    filesystems with an open request.
    """
    conn = session.connection()
    expire_requests(conn, now)
    prune_closed(conn, now)
    if not filling:
        return 0
    wanted = set(filling)
    servers = sorted({server_id for server_id, _ in wanted})
    last_scan = (
        select(func.max(USAGE_SCAN.c.taken_at))
        .where(
            USAGE_SCAN.c.server_id == Filesystem.server_id,
            USAGE_SCAN.c.mount_key == Filesystem.mount_key,
        )
        .scalar_subquery()
        .label("last_scan_at")
    )
    open_one = (
        select(REQUEST.c.id)
        .where(
            REQUEST.c.server_id == Filesystem.server_id, REQUEST.c.open_key == Filesystem.mount_key
        )
        .exists()
    )
    query = select(
        Filesystem.server_id,
        Filesystem.mount_point,
        Filesystem.fs_type,
        Filesystem.device,
        last_scan,
    ).where(
        Filesystem.server_id.in_(servers),
        Filesystem.last_seen_at >= now - 2 * LAST_SEEN_GRANULARITY,
        ~open_one,
    )
    candidates = [
        row
        for row in session.execute(query)
        if (row.server_id, row.mount_point) in wanted
        and not is_network_fs(row.fs_type, row.device)
        and (row.last_scan_at is None or now - row.last_scan_at >= RESCAN_AFTER)
    ]
    if not candidates:
        return 0
    servers = sorted({row.server_id for row in candidates})
    book = load_policies(session, servers)
    answering, network = _answering_mounts(session, servers)
    asked = 0
    for row in candidates:
        if book.policy(row.server_id, row.mount_point).mode is MountMode.IGNORE:
            continue
        if row.mount_point not in answering.get(row.server_id, set()):
            continue
        if row.mount_point in network.get(row.server_id, set()):
            continue
        asked += open_request(conn, row.server_id, row.mount_point, RequestedBy.FORECAST, now)
    return asked


def _answering_mounts(
    session: Session, server_ids: list[str]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The mounts of each server's latest snapshot that answered (not hung, not missing), and
    those its agent reports on a capacity domain of kind `network` (the agent's own verdict)."""
    rows = session.execute(
        select(Server.id, Server.filesystems, Server.capacity_domains).where(
            Server.id.in_(server_ids)
        )
    )
    answering: dict[str, set[str]] = {}
    network: dict[str, set[str]] = {}
    for row in rows:
        snapshot = parse_snapshot(row.filesystems) or []
        answering[row.id] = {fs.mount_point for fs in snapshot if fs.answered}
        network[row.id] = {
            str(member)
            for domain in row.capacity_domains or []
            if domain.get("kind") == "network"
            for member in domain.get("members") or []
        }
    return answering, network
