"""Filesystem rows of the write path: ids by mount point, created in bulk, capped per server.

The cap counts every row of the server, vanished filesystems included; past it the rows seen
longest ago go first, which are vanished ones (a filesystem in the current heartbeat is kept).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, delete, func, select, update

from homelab_cmd.db.tables import FILESYSTEM
from homelab_cmd.db.upsert import insert_ignore
from homelab_cmd.domain.filesystems import LAST_SEEN_GRANULARITY, mount_key
from homelab_cmd.schemas.heartbeat import FilesystemMetric
from homelab_cmd.services.ingest.pending import PendingWrites
from homelab_cmd.services.lru import Lru

log = logging.getLogger(__name__)
# An entry is ~300 bytes (mount points are keyed by their digest, devices by a hash), so the
# cache stays under ~15 MB however many mount points agents invent.
CACHE_ENTRIES = 50_000
# Keys per IN (...) lookup, well inside every engine's bound-parameter limit.
LOOKUP_CHUNK = 500
# Servers whose last heartbeat's mount points are remembered with their rows, and the most
# characters of mount points remembered for one (a server past it is looked up mount by mount):
# at most ~8 MB, however long the mount points agents invent.
LAST_ENTRIES = 4096
LAST_CHARS = 2048


@dataclass
class KnownFilesystem:
    id: int
    # hash((device, fs_type)): enough to notice a change, without keeping 4 KB of text per entry.
    identity: int
    last_seen_at: datetime


class FilesystemRows:
    """Finds or creates the filesystem rows of a heartbeat, with an LRU cache of their ids."""

    def __init__(
        self, max_per_server: int, on_retire: Callable[[str, str], object] = lambda *_: None
    ) -> None:
        self.max_per_server = max_per_server
        # Told (server id, warning) when a server's filesystems were retired: its page says so.
        self._on_retire = on_retire
        self._cache: Lru[tuple[str, str], KnownFilesystem] = Lru(CACHE_ENTRIES)
        # Per server, the mount points of its last heartbeat and their rows, in order: nearly
        # every heartbeat lists the same ones, and skips a digest and a lookup per mount.
        self._last: Lru[str, tuple[tuple[str, ...], list[KnownFilesystem]]] = Lru(LAST_ENTRIES)

    def forget_server(self, server_id: str) -> None:
        """Drop cached ids of a server (after it was deleted)."""
        self._last.pop(server_id)
        for key in [k for k in self._cache.snapshot() if k[0] == server_id]:
            self._cache.pop(key)

    def forget_all(self) -> None:
        """Drop every cached id (after a failed transaction)."""
        self._last.clear()
        self._cache.clear()

    def ids(
        self,
        conn: Connection,
        server_id: str,
        filesystems: list[FilesystemMetric],
        at: datetime,
        writes: PendingWrites,
    ) -> list[int]:
        """The row id of each filesystem, creating the new ones in one statement.

        Last-seen times are moved in `writes` (with the batch's); they, and the samples
        pending there, are written before rows over the server's cap are picked and deleted.
        """
        points = tuple(fs.mount_point for fs in filesystems)
        last = self._last.get(server_id)
        if last is not None and last[0] == points:
            for remembered, fs in zip(last[1], filesystems, strict=True):
                self._refresh(conn, remembered, fs, at, writes)
            return [remembered.id for remembered in last[1]]
        keys = [(server_id, mount_key(point)) for point in points]
        found = [self._cache.get(key) for key in keys]
        missing = [
            (key, fs)
            for key, fs, known in zip(keys, filesystems, found, strict=True)
            if known is None
        ]
        if missing:
            self._load_or_create(conn, server_id, missing, at)
        knowns: list[KnownFilesystem] = []
        for key, fs, cached in zip(keys, filesystems, found, strict=True):
            known = cached or self._cache.get(key)
            if known is None:  # evicted meanwhile by a flood of other mounts: ask once more
                self._load_or_create(conn, server_id, [(key, fs)], at)
                known = cast(KnownFilesystem, self._cache.get(key))
            self._refresh(conn, known, fs, at, writes)
            knowns.append(known)
        ids = [known.id for known in knowns]
        if missing:
            self._retire(conn, server_id, ids, writes)
        if sum(map(len, points)) <= LAST_CHARS:
            self._last.put(server_id, (points, knowns))
        else:
            self._last.pop(server_id)
        return ids

    def _refresh(
        self,
        conn: Connection,
        known: KnownFilesystem,
        fs: FilesystemMetric,
        at: datetime,
        writes: PendingWrites,
    ) -> None:
        identity = hash((fs.device, fs.fs_type))
        changed = known.identity != identity
        if changed or at - known.last_seen_at >= LAST_SEEN_GRANULARITY:
            seen = max(at, known.last_seen_at)
            if changed:
                # A replaced disk keeps its mount point's history; the row shows the newest
                # device. Rare: written at once, by itself.
                conn.execute(
                    update(FILESYSTEM)
                    .where(FILESYSTEM.c.id == known.id)
                    .values(device=fs.device, fs_type=fs.fs_type)
                )
            # With the batch's other last-seen moves, the newest last: an older heartbeat's
            # move queued earlier in the batch must not land after this one.
            writes.filesystem_seen(known.id, seen)
            known.identity = identity
            known.last_seen_at = seen

    def _load_or_create(
        self,
        conn: Connection,
        server_id: str,
        missing: list[tuple[tuple[str, str], FilesystemMetric]],
        at: datetime,
    ) -> None:
        rows = [
            {
                "server_id": server_id,
                "mount_key": key[1],
                "mount_point": fs.mount_point,
                "device": fs.device,
                "fs_type": fs.fs_type,
                "first_seen_at": at,
                "last_seen_at": at,
            }
            for key, fs in missing
        ]
        conn.execute(insert_ignore(FILESYSTEM, conn.dialect), rows)
        wanted = [key[1] for key, _ in missing]
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            found = conn.execute(
                select(
                    FILESYSTEM.c.id,
                    FILESYSTEM.c.mount_key,
                    FILESYSTEM.c.device,
                    FILESYSTEM.c.fs_type,
                    FILESYSTEM.c.last_seen_at,
                ).where(
                    FILESYSTEM.c.server_id == server_id,
                    FILESYSTEM.c.mount_key.in_(wanted[start : start + LOOKUP_CHUNK]),
                )
            )
            for row in found:
                identity = hash((row.device, row.fs_type))
                known = KnownFilesystem(row.id, identity, row.last_seen_at)
                self._cache.put((server_id, row.mount_key), known)

    def _retire(
        self,
        conn: Connection,
        server_id: str,
        keep: list[int],
        writes: PendingWrites,
    ) -> None:
        """Over the per-server cap, the filesystems seen longest ago go, history and all."""
        count = conn.execute(
            select(func.count()).select_from(FILESYSTEM).where(FILESYSTEM.c.server_id == server_id)
        ).scalar_one()
        excess = count - self.max_per_server
        if excess <= 0:
            return
        # The batch's last-seen times first, as they pick the rows that go; its samples
        # too, so that those of retired rows go with them rather than fail the batch.
        writes.flush(conn)
        kept = set(keep)
        # Ids only, oldest first: read from ix_filesystem_server_last_seen alone, never from the
        # rows themselves (their mount points may be 4 KB each, in overflow pages).
        oldest = conn.execute(
            select(FILESYSTEM.c.id)
            .where(FILESYSTEM.c.server_id == server_id)
            .order_by(FILESYSTEM.c.last_seen_at, FILESYSTEM.c.id)
            .limit(excess + len(kept))
        ).scalars()
        ids = [fs_id for fs_id in oldest if fs_id not in kept][:excess]
        retired: list[str] = []
        for start in range(0, len(ids), LOOKUP_CHUNK):
            chunk = ids[start : start + LOOKUP_CHUNK]
            # Their mount keys, for the id cache: only the rows that go are read.
            retired += conn.execute(
                select(FILESYSTEM.c.mount_key).where(FILESYSTEM.c.id.in_(chunk))
            ).scalars()
            conn.execute(delete(FILESYSTEM).where(FILESYSTEM.c.id.in_(chunk)))
        for key in retired:
            self._cache.pop((server_id, key))
        self._last.pop(server_id)
        warning = (
            f"more than {self.max_per_server} filesystems, vanished ones included "
            f"(HOMELAB_CMD_MAX_FILESYSTEMS_PER_SERVER): retired the {len(retired)} seen "
            "longest ago, with their history"
        )
        log.warning("server %s has %s", server_id, warning)
        self._on_retire(server_id, warning)
