"""Reading, renaming and removing servers."""

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from homelab_cmd.db.credential_generation import bump_generation
from homelab_cmd.db.models import Server
from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.domain.pools import DEFAULT_SCRUB_MAX_AGE_DAYS
from homelab_cmd.domain.servers import ServerStatus, is_server_id, status_at
from homelab_cmd.domain.snapshot import parse_snapshot
from homelab_cmd.errors import ServerNotFound
from homelab_cmd.schemas.server import (
    CapacityTotals,
    FullestFilesystem,
    ServerList,
    ServerRead,
    ServerSummary,
    ServerUpdate,
)
from homelab_cmd.services import audit
from homelab_cmd.services.drives import reads as drive_reads
from homelab_cmd.services.fleet import capacity
from homelab_cmd.services.fleet.vanished import vanished_counts, vanished_filesystems
from homelab_cmd.services.forecast.trends import Forecasted, Forecasts, stored_forecasts
from homelab_cmd.services.levels import PolicyBook, load_policies


class ServerCaches(Protocol):
    """What keeps per-server state in memory (the heartbeat writer, the token cache)."""

    def forget_server(self, server_id: str) -> None: ...


def server_status(server: Server, now: datetime, offline_after_seconds: int) -> ServerStatus:
    """Online while the hub heard from the agent within the offline threshold."""
    return status_at(server.last_seen_at, now, offline_after_seconds)


def get_server(session: Session, server_id: str) -> Server:
    """The server row, or ServerNotFound."""
    # An id no agent could have sent names no server; answer without asking the database,
    # which may not even accept the text (PostgreSQL refuses NUL).
    if not is_server_id(server_id):
        raise ServerNotFound(server_id)
    server = session.get(Server, server_id)
    if server is None:
        raise ServerNotFound(server_id)
    return server


def _with_forecasts(server: Server, forecasts: Forecasts) -> list[Forecasted] | None:
    """The server's snapshot filesystems, parsed from its row, each with its forecast."""
    snapshot = parse_snapshot(server.filesystems)
    if snapshot is None:
        return None
    return [(fs, forecasts.get((server.id, fs.mount_point), {})) for fs in snapshot]


def _read(filesystem: Forecasted) -> dict[str, Any]:
    """The fields of a filesystem's response: its snapshot entry and its forecast."""
    fs, forecast = filesystem
    return {**fs.to_json(), **forecast}


def _summary(filesystem: Forecasted, server_id: str, book: PolicyBook) -> FullestFilesystem:
    """A filesystem of the fleet list, with the levels its mount rule puts in force."""
    policy = book.policy(server_id, filesystem[0].mount_point)
    return FullestFilesystem.model_validate({**_read(filesystem), "levels": asdict(policy)})


def _fullest(
    filesystems: list[Forecasted] | None, server_id: str, book: PolicyBook
) -> FullestFilesystem | None:
    present = [f for f in filesystems or [] if f[0].state is not FilesystemState.MISSING]
    if not present:
        return None
    return _summary(max(present, key=lambda f: f[0].percent or 0), server_id, book)


def _soonest_full(
    filesystems: list[Forecasted] | None, server_id: str, book: PolicyBook
) -> FullestFilesystem | None:
    filling = [f for f in filesystems or [] if f[1].get("full_at") is not None]
    if not filling:
        return None
    return _summary(min(filling, key=lambda f: f[1]["full_at"]), server_id, book)


def list_servers(session: Session, offline_after_seconds: int) -> ServerList:
    """Every server with its latest metrics, its fullest filesystem and the next to fill."""
    now = datetime.now(UTC)
    servers = session.scalars(select(Server).order_by(Server.id)).all()
    forecasts = stored_forecasts(session, now)
    parsed = {server.id: _with_forecasts(server, forecasts) for server in servers}
    vanished = vanished_counts(session, list(servers), _reported_mounts(servers, parsed))
    book = load_policies(session, None)
    data = []
    fleet: list[tuple[set[str], list[dict[str, Any]]]] = []
    for server in servers:
        filesystems, found = capacity.server_capacity(
            server.capacity_domains, parsed[server.id], now
        )
        domains = found or []
        fleet.append((capacity.server_names(server.id, server.hostname), domains))
        data.append(
            ServerSummary.model_validate(
                {
                    **_columns(server),
                    "status": server_status(server, now, offline_after_seconds),
                    "filesystem_count": sum(
                        fs.state is not FilesystemState.MISSING for fs, _ in filesystems or []
                    ),
                    "fullest_filesystem": _fullest(filesystems, server.id, book),
                    "soonest_full_filesystem": _soonest_full(filesystems, server.id, book),
                    "capacity": capacity.totals(domains),
                    "missing_filesystem_count": sum(
                        fs.state is FilesystemState.MISSING for fs, _ in filesystems or []
                    ),
                    "vanished_filesystem_count": vanished[server.id],
                }
            )
        )
    totals = capacity.fleet_totals(fleet) if fleet else CapacityTotals()
    return ServerList(data=data, count=len(data), totals=totals)


def _reported_mounts(
    servers: Sequence[Server], parsed: dict[str, list[Forecasted] | None]
) -> dict[str, set[str] | None]:
    """Each server's snapshot mount points, from its parsed snapshot (None: nothing to judge
    vanished filesystems by, as `vanished` decides)."""
    out: dict[str, set[str] | None] = {}
    for server in servers:
        filesystems = parsed[server.id]
        usable = filesystems is not None and "filesystems" not in (server.collector_errors or {})
        out[server.id] = {fs.mount_point for fs, _ in filesystems or []} if usable else None
    return out


def read_server(
    session: Session,
    server: Server,
    offline_after_seconds: int,
    scrub_max_age_days: int = DEFAULT_SCRUB_MAX_AGE_DAYS,
) -> ServerRead:
    """One server: the row's latest snapshot plus its filesystems' trends, drives and pools."""
    now = datetime.now(UTC)
    filesystems, domains = capacity.server_capacity(
        server.capacity_domains,
        _with_forecasts(server, stored_forecasts(session, now, server.id)),
        now,
    )
    return ServerRead.model_validate(
        {
            **_columns(server),
            "filesystems": None if filesystems is None else [_read(f) for f in filesystems],
            "capacity_domains": domains,
            "status": server_status(server, now, offline_after_seconds),
            "vanished_filesystems": vanished_filesystems(session, server),
            "drives": drive_reads.server_drives(session, server.id),
            "pools": drive_reads.server_pools(
                session, server.id, now, timedelta(days=scrub_max_age_days)
            ),
        }
    )


def update_server(
    session: Session, server: Server, changes: ServerUpdate, offline_after_seconds: int
) -> ServerRead:
    """Apply the fields the client sent."""
    for name, value in changes.model_dump(exclude_unset=True).items():
        setattr(server, name, value)
    session.commit()
    return read_server(session, server, offline_after_seconds)


def delete_server(
    session: Session,
    server: Server,
    caches: Iterable[ServerCaches],
    *,
    actor: str = "hub",
    source: str | None = None,
) -> None:
    """Remove the server and, through cascades, all its history and its agent token (refused
    by every hub within one revocation poll: the shared generation moves with the delete)."""
    session.execute(delete(Server).where(Server.id == server.id))
    bump_generation(session)
    audit.record(
        session, "server.deleted", actor, datetime.now(UTC), source=source, target=server.id
    )
    session.commit()
    for cache in caches:
        cache.forget_server(server.id)


def _columns(server: Server) -> dict[str, Any]:
    return {c.key: getattr(server, c.key) for c in Server.__mapper__.column_attrs}
