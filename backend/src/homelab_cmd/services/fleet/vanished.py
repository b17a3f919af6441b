"""Filesystems a server stopped reporting: listed as vanished until the operator dismisses them.

A filesystem is vanished when the hub has a row for it (it was reported once) but the server's
latest heartbeat does not list it. Its history is kept either way; a dismissed one is listed
again if it comes back and then vanishes anew. (An fstab mount that the agent reports as not
mounted is `missing`, a state of the snapshot, not this.)
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Filesystem, FilesystemSample, Server
from homelab_cmd.domain.filesystems import mount_key
from homelab_cmd.domain.snapshot import parse_snapshot
from homelab_cmd.errors import FilesystemNotFound, FilesystemStillReported
from homelab_cmd.schemas.server import DismissFilesystem, VanishedFilesystem


def _reported(server: Server) -> set[str] | None:
    # Without a snapshot of filesystems (an agent that sends none, or whose filesystem
    # collector failed) nothing can be said to have vanished.
    if server.filesystems is None or "filesystems" in (server.collector_errors or {}):
        return None
    return {fs.mount_point for fs in parse_snapshot(server.filesystems) or []}


# Filesystem ids per IN (...) of the newest-sample read, well inside every engine's bound.
CHUNK = 500


def _last_sample_at(session: Session, filesystem: Filesystem) -> datetime:
    # last_seen_at is refreshed hourly at most; the newest raw sample is exact while kept.
    newest = session.scalar(
        select(func.max(FilesystemSample.sampled_at)).where(
            FilesystemSample.filesystem_id == filesystem.id
        )
    )
    return max(newest, filesystem.last_seen_at) if newest is not None else filesystem.last_seen_at


def _newest_samples(session: Session, ids: list[int]) -> dict[int, datetime]:
    """The newest raw sample of each filesystem, in one grouped read per CHUNK ids."""
    newest: dict[int, datetime] = {}
    for start in range(0, len(ids), CHUNK):
        query = (
            select(FilesystemSample.filesystem_id, func.max(FilesystemSample.sampled_at))
            .where(FilesystemSample.filesystem_id.in_(ids[start : start + CHUNK]))
            .group_by(FilesystemSample.filesystem_id)
        )
        newest.update((fs_id, at) for fs_id, at in session.execute(query) if at is not None)
    return newest


def _candidates(servers: list[Server], rows: Sequence[Any]) -> list[Any]:
    """Rows with a mount point their server's latest snapshot does not list."""
    reported = {s.id: _reported(s) for s in servers}
    return [
        row
        for row in rows
        if (names := reported.get(row.server_id)) is not None and row.mount_point not in names
    ]


def _since(row: Any, newest: dict[int, datetime]) -> datetime:
    last_seen: datetime = row.last_seen_at
    sample = newest.get(row.id)
    return max(sample, last_seen) if sample is not None else last_seen


def _vanished(
    session: Session, servers: list[Server], rows: list[Filesystem]
) -> dict[str, list[VanishedFilesystem]]:
    """Per server id, its vanished filesystems that are not dismissed, by mount point.

    The cost is a few reads whatever the number of vanished filesystems: the candidates'
    newest samples are read together, grouped, never one query each.
    """
    candidates = _candidates(servers, rows)
    newest = _newest_samples(session, [row.id for row in candidates])
    out: dict[str, list[VanishedFilesystem]] = {s.id: [] for s in servers}
    for row in candidates:
        since = _since(row, newest)
        if row.dismissed_seen_at is not None and row.dismissed_seen_at >= since:
            continue
        out[row.server_id].append(
            VanishedFilesystem(
                mount_point=row.mount_point,
                device=row.device,
                fs_type=row.fs_type,
                first_seen_at=row.first_seen_at,
                missing_since=since,
            )
        )
    for found in out.values():
        found.sort(key=lambda fs: fs.mount_point)
    return out


def vanished_filesystems(session: Session, server: Server) -> list[VanishedFilesystem]:
    """The server's vanished filesystems that are not dismissed, by mount point."""
    rows = session.scalars(select(Filesystem).where(Filesystem.server_id == server.id)).all()
    return _vanished(session, [server], list(rows))[server.id]


def _undismissed_rows_of(session: Session, judged: dict[str, set[str]]) -> list[Any]:
    """(server id, mount point) of the undismissed rows of these servers named by a mount point
    any of them lists: lookups on the (server, mount key) index, not a scan of every row."""
    ids = sorted(judged)
    keys = sorted(map(mount_key, set().union(*judged.values())))
    found: list[Any] = []
    for first_id in range(0, len(ids), CHUNK):
        for first_key in range(0, len(keys), CHUNK):
            query = select(Filesystem.server_id, Filesystem.mount_point).where(
                Filesystem.server_id.in_(ids[first_id : first_id + CHUNK]),
                Filesystem.mount_key.in_(keys[first_key : first_key + CHUNK]),
                Filesystem.dismissed_seen_at.is_(None),
            )
            found += session.execute(query).all()
    return found


def _seen_since_dismissed(session: Session, rows: list[Any]) -> list[Any]:
    """The dismissed rows reported again after their dismissal (by their newest sample)."""
    newest = _newest_samples(session, [row.id for row in rows]) if rows else {}
    return [row for row in rows if row.dismissed_seen_at < _since(row, newest)]


def vanished_counts(
    session: Session, servers: list[Server], reported: dict[str, set[str] | None] | None = None
) -> dict[str, int]:
    """Vanished, undismissed filesystems per server id, in a few reads for the whole fleet.

    `reported`, the mount points of each server's snapshot, when the caller parsed them already.
    The cost follows the snapshots, not the rows a host left behind: each server's rows are
    counted on the (server, mount key) index, the dismissed ones and the undismissed rows of
    mounts its snapshot lists are taken off, the latter looked up on that index. A dismissed
    row (the operator makes them one by one) counts again once seen after its dismissal.
    """
    names = reported if reported is not None else {s.id: _reported(s) for s in servers}
    judged = {s.id: mounts for s in servers if (mounts := names.get(s.id)) is not None}
    counts = dict.fromkeys((s.id for s in servers), 0)
    rows_per_server = select(Filesystem.server_id, func.count()).group_by(Filesystem.server_id)
    for server_id, count in session.execute(rows_per_server):
        if server_id in judged:
            counts[server_id] += count
    dismissed = []
    for row in session.execute(
        select(
            Filesystem.id,
            Filesystem.server_id,
            Filesystem.mount_point,
            Filesystem.last_seen_at,
            Filesystem.dismissed_seen_at,
        ).where(Filesystem.dismissed_seen_at.is_not(None))
    ):
        if (mounts := judged.get(row.server_id)) is not None:
            counts[row.server_id] -= 1
            if row.mount_point not in mounts:
                dismissed.append(row)
    for server_id, mount in _undismissed_rows_of(session, judged):
        if mount in judged[server_id]:
            counts[server_id] -= 1
    for row in _seen_since_dismissed(session, dismissed):
        counts[row.server_id] += 1
    return counts


def dismiss(session: Session, server: Server, request: DismissFilesystem) -> None:
    """Stop listing a vanished filesystem; its history stays."""
    mount = request.mount_point
    row = session.scalar(
        select(Filesystem).where(
            Filesystem.server_id == server.id, Filesystem.mount_key == mount_key(mount)
        )
    )
    if row is None:
        raise FilesystemNotFound(server.id, mount)
    reported = _reported(server)
    if reported is not None and mount in reported:
        raise FilesystemStillReported(server.id, mount)
    seen = _last_sample_at(session, row)
    session.execute(
        update(Filesystem).where(Filesystem.id == row.id).values(dismissed_seen_at=seen)
    )
    session.commit()
