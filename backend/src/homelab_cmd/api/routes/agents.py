"""Heartbeats from agents."""

from fastapi import APIRouter

from homelab_cmd.api.deps import AgentHeartbeat, WriterDep
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.api.openapi import request_body
from homelab_cmd.errors import (
    Forbidden,
    PayloadTooLarge,
    ServerLimitReached,
    ServiceUnavailable,
    TimestampInFuture,
    Unauthorized,
)
from homelab_cmd.schemas.heartbeat import HeartbeatRequest, HeartbeatResponse

router = APIRouter(prefix="/agents", tags=["agents"])


@router.post(
    "/heartbeat",
    responses=error_responses(
        Unauthorized,
        Forbidden,
        TimestampInFuture,
        PayloadTooLarge,
        ServerLimitReached,
        ServiceUnavailable,
    ),
    openapi_extra=request_body(HeartbeatRequest),
)
async def post_heartbeat(heartbeat: AgentHeartbeat, writer: WriterDep) -> HeartbeatResponse:
    """Store a heartbeat (agent access, own server only); 200 means committed.

    A replay of (server_id, timestamp) is stored once.
    """
    stored = await writer.submit(heartbeat)
    return HeartbeatResponse(server_registered=stored.server_registered, duplicate=stored.duplicate)
