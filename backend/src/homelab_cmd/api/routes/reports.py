"""The weekly capacity report: read it as JSON, or send it through the channels now."""

from fastapi import APIRouter, Request, status

from homelab_cmd.api.deps import AdminAuth, ReadAuth, SessionDep, SettingsDep, client_address
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import Forbidden, NoNotificationChannel, Unauthorized
from homelab_cmd.schemas.report import CapacityReport, ReportQueued
from homelab_cmd.services import audit
from homelab_cmd.services.reports import delivery

router = APIRouter(
    prefix="/reports", tags=["reports"], responses=error_responses(Unauthorized, Forbidden)
)


@router.get("/capacity")
def read_capacity_report(_: ReadAuth, session: SessionDep, settings: SettingsDep) -> CapacityReport:
    """The capacity report as it would be sent now (docs/reports.md)."""
    return delivery.current_report(session, settings)


@router.post(
    "/capacity/send",
    status_code=status.HTTP_202_ACCEPTED,
    responses=error_responses(NoNotificationChannel),
)
def send_capacity_report(
    principal: AdminAuth, session: SessionDep, settings: SettingsDep, request: Request
) -> ReportQueued:
    """Queue the capacity report for every channel now; delivery is retried like alerts'."""
    return delivery.send_now(
        session, settings, actor=audit.actor_of(principal), source=client_address(request)
    )
