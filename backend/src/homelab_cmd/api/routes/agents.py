"""Heartbeats from agents."""

from datetime import UTC, datetime

from fastapi import APIRouter

from homelab_cmd.api.deps import ApiKeyAuth, HeartbeatBody, SettingsDep, WriterDep
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.api.openapi import request_body
from homelab_cmd.api.schemas.heartbeat import HeartbeatRequest, HeartbeatResponse
from homelab_cmd.errors import PayloadTooLarge, ServiceUnavailable, TimestampInFuture, Unauthorized
from homelab_cmd.services.ingest import check_clock

router = APIRouter(prefix="/agents", tags=["agents"], dependencies=[ApiKeyAuth])


@router.post(
    "/heartbeat",
    responses=error_responses(Unauthorized, TimestampInFuture, PayloadTooLarge, ServiceUnavailable),
    openapi_extra=request_body(HeartbeatRequest),
)
async def post_heartbeat(
    heartbeat: HeartbeatBody, writer: WriterDep, settings: SettingsDep
) -> HeartbeatResponse:
    """Store a heartbeat; 200 means committed. A replay of (server_id, timestamp) is stored once."""
    check_clock(heartbeat, datetime.now(UTC), settings.max_clock_skew_seconds)
    stored = await writer.submit(heartbeat)
    return HeartbeatResponse(server_registered=stored.server_registered, duplicate=stored.duplicate)
