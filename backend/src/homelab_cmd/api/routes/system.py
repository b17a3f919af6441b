"""Liveness, without auth."""

from fastapi import APIRouter

from homelab_cmd import __version__
from homelab_cmd.api.deps import SessionDep, SettingsDep
from homelab_cmd.schemas.system import Health
from homelab_cmd.services.health import database_ok

router = APIRouter(prefix="/system", tags=["system"])


@router.get("/health")
def health(session: SessionDep, settings: SettingsDep) -> Health:
    """Whether the hub runs and reaches its database."""
    ok = database_ok(session)
    return Health(
        status="ok" if ok else "degraded",
        version=__version__,
        database="ok" if ok else "unreachable",
        offline_after_seconds=settings.offline_after_seconds,
    )
