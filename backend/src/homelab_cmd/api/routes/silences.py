"""Silences: mute a server's (or some mounts') messages until an end time."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, status

from homelab_cmd.api.deps import AdminAuth, ReadAuth, SessionDep, client_address
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import (
    Forbidden,
    InvalidSilence,
    ServerNotFound,
    SilenceNotFound,
    Unauthorized,
)
from homelab_cmd.schemas.alert import SilenceCreate, SilenceList, SilenceRead
from homelab_cmd.services import audit
from homelab_cmd.services.alerts import silences

router = APIRouter(
    prefix="/silences", tags=["silences"], responses=error_responses(Unauthorized, Forbidden)
)


@router.get("")
def list_silences(_: ReadAuth, session: SessionDep, include_ended: bool = False) -> SilenceList:
    """Active silences (ended ones too when asked)."""
    data = [SilenceRead.model_validate(s) for s in silences.list_silences(session, include_ended)]
    return SilenceList(data=data, count=len(data))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(ServerNotFound, InvalidSilence),
)
def create_silence(
    principal: AdminAuth, body: SilenceCreate, session: SessionDep, request: Request
) -> SilenceRead:
    """Mute messages about a server, or its mounts matching a pattern; alerts still change."""
    silence = silences.create_silence(
        session,
        body,
        principal.name,
        actor=audit.actor_of(principal),
        source=client_address(request),
    )
    return SilenceRead.model_validate(silence)


@router.delete(
    "/{silence_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(SilenceNotFound),
)
def delete_silence(
    principal: AdminAuth,
    silence_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    request: Request,
) -> None:
    """End a silence now."""
    silences.delete_silence(
        session, silence_id, actor=audit.actor_of(principal), source=client_address(request)
    )
