"""The servers resource."""

from fastapi import APIRouter, Request, status

from homelab_cmd.api.deps import (
    AdminAuth,
    ReadAuth,
    ServerDep,
    SessionDep,
    SettingsDep,
    VerifierDep,
    WriterDep,
    client_address,
)
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import (
    FilesystemNotFound,
    FilesystemStillReported,
    Forbidden,
    ServerNotFound,
    Unauthorized,
)
from homelab_cmd.schemas.server import (
    DismissFilesystem,
    ServerList,
    ServerRead,
    ServerUpdate,
)
from homelab_cmd.services import audit
from homelab_cmd.services.fleet import servers, vanished

router = APIRouter(
    prefix="/servers",
    tags=["servers"],
    responses=error_responses(Unauthorized, Forbidden),
)


@router.get("")
def list_servers(_: ReadAuth, session: SessionDep, settings: SettingsDep) -> ServerList:
    """Every server with status, latest metrics and its fullest filesystem."""
    return servers.list_servers(session, settings.offline_after_seconds)


@router.get("/{server_id}", responses=error_responses(ServerNotFound))
def get_server(
    _: ReadAuth, server: ServerDep, session: SessionDep, settings: SettingsDep
) -> ServerRead:
    """One server with its latest metrics and filesystems (null before any data)."""
    return servers.read_server(
        session, server, settings.offline_after_seconds, settings.scrub_max_age_days
    )


@router.patch("/{server_id}", responses=error_responses(ServerNotFound))
def update_server(
    _: AdminAuth,
    changes: ServerUpdate,
    server: ServerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> ServerRead:
    """Rename a server (display name); null returns to the hostname."""
    return servers.update_server(session, server, changes, settings.offline_after_seconds)


@router.delete(
    "/{server_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(ServerNotFound),
)
def delete_server(
    *,
    principal: AdminAuth,
    request: Request,
    server: ServerDep,
    session: SessionDep,
    writer: WriterDep,
    verifier: VerifierDep,
) -> None:
    """Remove a server with all its history and its agent token."""
    servers.delete_server(
        session,
        server,
        (writer, verifier),
        actor=audit.actor_of(principal),
        source=client_address(request),
    )


@router.post(
    "/{server_id}/filesystems/dismiss",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(ServerNotFound, FilesystemNotFound, FilesystemStillReported),
)
def dismiss_vanished_filesystem(
    _: AdminAuth, request: DismissFilesystem, server: ServerDep, session: SessionDep
) -> None:
    """Stop listing a filesystem the server no longer reports; its history is kept."""
    vanished.dismiss(session, server, request)
