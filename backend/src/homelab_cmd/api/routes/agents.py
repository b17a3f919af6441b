"""Heartbeats from agents."""

from fastapi import APIRouter

from homelab_cmd.api.deps import HEARTBEAT_SECURITY, AgentHeartbeat
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.api.heartbeat_endpoint import answer_heartbeat
from homelab_cmd.api.openapi import request_body
from homelab_cmd.errors import (
    CapacityDomainsTooDeep,
    Forbidden,
    HeartbeatRateLimited,
    HeartbeatTooOld,
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
        HeartbeatTooOld,
        CapacityDomainsTooDeep,
        HeartbeatRateLimited,
        PayloadTooLarge,
        ServerLimitReached,
        ServiceUnavailable,
    ),
    # The one dependency reads the body and the credentials itself: the document says so here.
    openapi_extra={**request_body(HeartbeatRequest), "security": HEARTBEAT_SECURITY},
)
async def post_heartbeat(call: AgentHeartbeat) -> HeartbeatResponse:
    """Store a heartbeat (agent access, own server only); 200 means committed.

    A replay of (server_id, timestamp) is stored once. Each server has budgets (heartbeats a
    minute, how far back, capacity-domain depth): past one, 429 or 422 and nothing is stored.
    """
    # HubMiddleware answers most heartbeats before the router, with these same two steps
    # (api/heartbeat_endpoint.py); this route answers the rest and declares the operation.
    return await answer_heartbeat(call)
