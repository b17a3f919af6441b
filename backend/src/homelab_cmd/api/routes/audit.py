"""The audit log: who signed in, changed accounts, tokens, servers and settings, from where."""

from typing import Annotated

from fastapi import APIRouter, Query

from homelab_cmd.api.deps import AdminAuth, SessionDep
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import Forbidden, Unauthorized
from homelab_cmd.schemas.audit import AuditEventList, AuditEventRead
from homelab_cmd.services import audit

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", responses=error_responses(Unauthorized, Forbidden))
def list_events(
    _: AdminAuth,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> AuditEventList:
    """The newest events first; pass `next_before_id` as `before_id` for older ones."""
    events = audit.recent(session, limit, before_id)
    data = [AuditEventRead.model_validate(e) for e in events]
    older = data[-1].id if len(data) == limit else None
    return AuditEventList(data=data, count=len(data), next_before_id=older)
