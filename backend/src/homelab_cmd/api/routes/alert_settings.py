"""Alert levels and modes: global defaults, per server, per mount point (glob allowed)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from homelab_cmd.api.deps import AdminAuth, ReadAuth, ServerDep, SessionDep, client_address
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.domain.access import Principal
from homelab_cmd.errors import (
    AlertRuleNotFound,
    Forbidden,
    InvalidLevels,
    ServerNotFound,
    Unauthorized,
)
from homelab_cmd.schemas.alert import (
    AlertLevels,
    AlertSettingsRead,
    MountSettingList,
    MountSettingUpdate,
)
from homelab_cmd.services import audit
from homelab_cmd.services.alerts import rules as alert_rules

router = APIRouter(tags=["alert-settings"], responses=error_responses(Unauthorized, Forbidden))


def _changer(principal: Principal, request: Request) -> dict[str, str | None]:
    """Who changes a setting and from where, for the audit log."""
    return {"actor": audit.actor_of(principal), "source": client_address(request)}


@router.get("/alert-settings")
def read_global_settings(_: ReadAuth, session: SessionDep) -> AlertSettingsRead:
    """The global defaults every server and mount inherits."""
    return alert_rules.read_rule(session, None, None)


@router.put("/alert-settings", responses=error_responses(InvalidLevels))
def put_global_settings(
    principal: AdminAuth, body: AlertLevels, session: SessionDep, request: Request
) -> AlertSettingsRead:
    """Replace the global defaults; null or absent fields fall back to the built-in ones."""
    alert_rules.put_rule(session, None, None, body.model_dump(), **_changer(principal, request))
    return alert_rules.read_rule(session, None, None)


@router.get("/servers/{server_id}/alert-settings", responses=error_responses(ServerNotFound))
def read_server_settings(_: ReadAuth, server: ServerDep, session: SessionDep) -> AlertSettingsRead:
    """A server's own levels and those in force for it."""
    return alert_rules.read_rule(session, server.id, None)


@router.put(
    "/servers/{server_id}/alert-settings",
    responses=error_responses(ServerNotFound, InvalidLevels),
)
def put_server_settings(
    principal: AdminAuth,
    body: AlertLevels,
    server: ServerDep,
    session: SessionDep,
    request: Request,
) -> AlertSettingsRead:
    """Replace a server's levels; null or absent fields inherit the global ones."""
    alert_rules.put_rule(
        session, server.id, None, body.model_dump(), **_changer(principal, request)
    )
    return alert_rules.read_rule(session, server.id, None)


@router.get("/servers/{server_id}/filesystems/settings", responses=error_responses(ServerNotFound))
def list_mount_settings(_: ReadAuth, server: ServerDep, session: SessionDep) -> MountSettingList:
    """The server's mount rules, and the levels in force for each of its filesystems."""
    return alert_rules.read_mount_rules(session, server)


@router.put("/servers/{server_id}/filesystems/settings", responses=error_responses(ServerNotFound))
def put_mount_settings(
    principal: AdminAuth,
    body: MountSettingUpdate,
    server: ServerDep,
    session: SessionDep,
    request: Request,
) -> AlertSettingsRead:
    """Set a mount's mode (default, expected_full, ignore) and levels; a glob covers many."""
    values = body.model_dump(exclude={"mount_point"})
    alert_rules.put_rule(
        session, server.id, body.mount_point, values, **_changer(principal, request)
    )
    return alert_rules.read_rule(session, server.id, body.mount_point)


@router.delete(
    "/servers/{server_id}/filesystems/settings",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(ServerNotFound, AlertRuleNotFound),
)
def delete_mount_settings(
    principal: AdminAuth,
    server: ServerDep,
    session: SessionDep,
    request: Request,
    mount_point: Annotated[str, Query(min_length=1, max_length=4096)],
) -> None:
    """Remove a mount rule: the mount inherits the server's levels again."""
    alert_rules.delete_mount_rule(session, server.id, mount_point, **_changer(principal, request))
