"""API token schemas; the secret appears once, in the answer to its creation."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from homelab_cmd.domain.access import Role


class TokenRole(StrEnum):
    """Roles a person may give a token; agent tokens come from enrollment only."""

    READ = Role.READ.value
    ADMIN = Role.ADMIN.value


class TokenCreate(BaseModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\x00]*$")] = (
        Field(description="What the token is for, e.g. 'grafana'")
    )
    role: TokenRole = TokenRole.READ


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: Role
    server_id: str | None = Field(None, description="The server an agent token reports for")
    created_at: datetime


class TokenCreated(TokenRead):
    token: str = Field(description="The secret; shown only now, store it safely")


class TokenList(BaseModel):
    data: list[TokenRead]
    count: int
