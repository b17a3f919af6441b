"""Drives: the fleet's, worst first, and one drive's history."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from homelab_cmd.api.deps import ReadAuth, ServerDep, SessionDep
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.domain.tiers import HistoryRange
from homelab_cmd.errors import DriveNotFound, Forbidden, ServerNotFound, Unauthorized
from homelab_cmd.schemas.drive import DriveHistory, DriveList
from homelab_cmd.services.drives import reads

router = APIRouter(tags=["drives"], responses=error_responses(Unauthorized, Forbidden))

DriveRange = Annotated[
    HistoryRange,
    Query(
        alias="range",
        description="How far back: raw readings up to 90d (the hourly retention), days beyond",
    ),
]


@router.get("/drives")
def list_drives(_: ReadAuth, session: SessionDep) -> DriveList:
    """Every drive of the fleet with its health and key attributes, worst first."""
    return reads.fleet_drives(session)


@router.get(
    "/servers/{server_id}/drives/{drive_id}/history",
    responses=error_responses(ServerNotFound, DriveNotFound),
)
def drive_history(
    _: ReadAuth,
    server: ServerDep,
    drive_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    range_: DriveRange = HistoryRange.H24,
) -> DriveHistory:
    """One drive's temperature, power-on hours and key counts over the range."""
    return reads.drive_history(session, server.id, drive_id, range_, datetime.now(UTC))
