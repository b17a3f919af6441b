"""Liveness, without auth."""

from fastapi import APIRouter
from pydantic import BaseModel

from homelab_cmd import __version__
from homelab_cmd.api.deps import SessionDep
from homelab_cmd.services.health import database_ok

router = APIRouter(prefix="/system", tags=["system"])


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/health")
def health(session: SessionDep) -> Health:
    """Whether the hub runs and reaches its database."""
    ok = database_ok(session)
    return Health(
        status="ok" if ok else "degraded",
        version=__version__,
        database="ok" if ok else "unreachable",
    )
