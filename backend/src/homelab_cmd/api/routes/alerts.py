"""Alerts: list them by state, acknowledge one."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from homelab_cmd.api.deps import AdminAuth, ReadAuth, SessionDep
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.domain.servers import SERVER_ID_MAX_CHARS, SERVER_ID_PATTERN
from homelab_cmd.errors import AlertNotFound, Forbidden, Unauthorized
from homelab_cmd.schemas.alert import AlertFilter, AlertList, AlertRead
from homelab_cmd.services.alerts import reads as alerts

router = APIRouter(
    prefix="/alerts", tags=["alerts"], responses=error_responses(Unauthorized, Forbidden)
)


@router.get("")
def list_alerts(
    _: ReadAuth,
    session: SessionDep,
    state: AlertFilter = AlertFilter.OPEN,
    # The server-id rule: an id no agent could send is a 422, never text the database refuses.
    server_id: Annotated[
        str | None, Query(max_length=SERVER_ID_MAX_CHARS, pattern=SERVER_ID_PATTERN)
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AlertList:
    """Alerts newest first: `open` (pending and firing) unless another state is asked for."""
    return alerts.list_alerts(session, state, server_id, limit)


@router.post("/{alert_id}/ack", responses=error_responses(AlertNotFound))
def acknowledge_alert(
    principal: AdminAuth, alert_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: SessionDep
) -> AlertRead:
    """Acknowledge an alert: it stops repeating; its resolution is still sent."""
    return alerts.acknowledge(session, alert_id, principal.name)
