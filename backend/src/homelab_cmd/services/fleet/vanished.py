"""Filesystems a server stopped reporting: listed as vanished until the operator dismisses them.

A filesystem is vanished when the hub has a row for it (it was reported once) but the server's
latest heartbeat does not list it. Its history is kept either way; a dismissed one is listed
again if it comes back and then vanishes anew. (An fstab mount that the agent reports as not
mounted is `missing`, a state of the snapshot, not this.)
"""

from collections import defaultdict
from datetime import datetime

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


def _last_sample_at(session: Session, filesystem: Filesystem) -> datetime:
    # last_seen_at is refreshed hourly at most; the newest raw sample is exact while kept.
    newest = session.scalar(
        select(func.max(FilesystemSample.sampled_at)).where(
            FilesystemSample.filesystem_id == filesystem.id
        )
    )
    return max(newest, filesystem.last_seen_at) if newest is not None else filesystem.last_seen_at


def _vanished(session: Session, server: Server, rows: list[Filesystem]) -> list[VanishedFilesystem]:
    reported = _reported(server)
    if reported is None:
        return []
    out = []
    for row in rows:
        if row.mount_point in reported:
            continue
        since = _last_sample_at(session, row)
        if row.dismissed_seen_at is not None and row.dismissed_seen_at >= since:
            continue
        out.append(
            VanishedFilesystem(
                mount_point=row.mount_point,
                device=row.device,
                fs_type=row.fs_type,
                first_seen_at=row.first_seen_at,
                missing_since=since,
            )
        )
    return sorted(out, key=lambda fs: fs.mount_point)


def vanished_filesystems(session: Session, server: Server) -> list[VanishedFilesystem]:
    """The server's vanished filesystems that are not dismissed, by mount point."""
    rows = session.scalars(select(Filesystem).where(Filesystem.server_id == server.id)).all()
    return _vanished(session, server, list(rows))


def vanished_counts(session: Session, servers: list[Server]) -> dict[str, int]:
    """Vanished, undismissed filesystems per server id, in one read of the filesystem rows."""
    by_server: dict[str, list[Filesystem]] = defaultdict(list)
    for row in session.scalars(select(Filesystem)):
        by_server[row.server_id].append(row)
    return {s.id: len(_vanished(session, s, by_server.get(s.id, []))) for s in servers}


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
