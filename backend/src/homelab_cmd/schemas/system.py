"""The hub's own state: liveness, and the settings the web UI follows."""

from pydantic import BaseModel, Field


# No docstring: it would become the schema's description in the OpenAPI document.
class Health(BaseModel):
    status: str
    version: str
    database: str
    offline_after_seconds: int = Field(
        description="A server whose last heartbeat is older than this many seconds is offline "
        "(HOMELAB_CMD_OFFLINE_AFTER_SECONDS)"
    )
