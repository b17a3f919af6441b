"""Usage scans of a server's filesystems: ask for one, read the latest and what grew."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from homelab_cmd.api.deps import AdminAuth, ReadAuth, ServerDep, SessionDep
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import (
    FilesystemNotAnswering,
    FilesystemNotFound,
    Forbidden,
    ServerNotFound,
    Unauthorized,
)
from homelab_cmd.schemas.usage import (
    MAX_PATH_CHARS,
    FilesystemUsage,
    UsageScanCreate,
    UsageScanRequest,
)
from homelab_cmd.services import audit
from homelab_cmd.services.usage import reads, requests

router = APIRouter(
    prefix="/servers",
    tags=["usage"],
    responses=error_responses(Unauthorized, Forbidden, ServerNotFound),
)


@router.post(
    "/{server_id}/filesystems/usage-scans",
    status_code=202,
    responses=error_responses(FilesystemNotFound, FilesystemNotAnswering),
)
def request_usage_scan(
    principal: AdminAuth, server: ServerDep, body: UsageScanCreate, session: SessionDep
) -> UsageScanRequest:
    """Ask the server's agent to scan a filesystem (admin); it answers in a later heartbeat.

    An open request for that filesystem is returned rather than a second one made. A mount the
    agent reports as unreachable or missing is a 409: a scan of it would hang.
    """
    return requests.request_scan(
        session, server, body.mount_point, datetime.now(UTC), actor=audit.actor_of(principal)
    )


@router.get("/{server_id}/filesystems/usage")
def get_filesystem_usage(
    _: ReadAuth,
    server: ServerDep,
    session: SessionDep,
    mount_point: Annotated[str, Query(min_length=1, max_length=MAX_PATH_CHARS)],
) -> FilesystemUsage:
    """A filesystem's latest scan, the directories that grew since the one before, the open
    request with its progress, and the kept scans; nulls for a filesystem never scanned."""
    return reads.filesystem_usage(session, server.id, mount_point, datetime.now(UTC))
