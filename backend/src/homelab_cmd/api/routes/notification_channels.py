"""Notification channels (admin only): Apprise URLs, redacted when read, and a test send."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, status
from fastapi.concurrency import run_in_threadpool

from homelab_cmd.api.deps import AdminAuth, SessionDep, SettingsDep, client_address
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import ChannelNotFound, Forbidden, InvalidChannelUrl, Unauthorized
from homelab_cmd.schemas.notification import (
    ChannelCreate,
    ChannelList,
    ChannelRead,
    ChannelTestResult,
    ChannelUpdate,
)
from homelab_cmd.services import audit
from homelab_cmd.services.notify import channels as notify_channels

router = APIRouter(
    prefix="/notification-channels",
    tags=["notification-channels"],
    responses=error_responses(Unauthorized, Forbidden),
)


@router.get("")
def list_channels(_: AdminAuth, session: SessionDep, settings: SettingsDep) -> ChannelList:
    """Stored channels and those of HOMELAB_CMD_NOTIFY_URLS, with what waits for each."""
    return notify_channels.read_channels(
        session, settings.notify_url_list, settings.notify_min_severity
    )


@router.post("", status_code=status.HTTP_201_CREATED, responses=error_responses(InvalidChannelUrl))
def create_channel(
    principal: AdminAuth, body: ChannelCreate, session: SessionDep, request: Request
) -> ChannelRead:
    """Add a channel; the URL must be one Apprise can send to."""
    channel = notify_channels.create_channel(
        session,
        body.model_dump(),
        actor=audit.actor_of(principal),
        source=client_address(request),
    )
    return notify_channels.read_channel(session, channel)


@router.patch("/{channel_id}", responses=error_responses(ChannelNotFound, InvalidChannelUrl))
def update_channel(
    principal: AdminAuth,
    channel_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: ChannelUpdate,
    session: SessionDep,
    request: Request,
) -> ChannelRead:
    """Change a channel's name, URL, threshold or switch it off."""
    channel = notify_channels.update_channel(
        session,
        channel_id,
        body.model_dump(exclude_unset=True),
        actor=audit.actor_of(principal),
        source=client_address(request),
    )
    return notify_channels.read_channel(session, channel)


@router.delete(
    "/{channel_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(ChannelNotFound),
)
def delete_channel(
    principal: AdminAuth,
    channel_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    request: Request,
) -> None:
    """Remove a channel; messages still queued for it are dropped."""
    notify_channels.delete_channel(
        session, channel_id, actor=audit.actor_of(principal), source=client_address(request)
    )


@router.post("/{channel_id}/test", responses=error_responses(ChannelNotFound))
async def test_channel(
    _: AdminAuth,
    channel_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    settings: SettingsDep,
) -> ChannelTestResult:
    """Send a test message now and say whether it went out."""
    error = await run_in_threadpool(
        notify_channels.test_channel, session, channel_id, settings.public_url
    )
    return ChannelTestResult(delivered=error is None, error=error)
