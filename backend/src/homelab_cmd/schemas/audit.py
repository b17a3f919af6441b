"""The audit log as the API reads it: newest first, paged back with `before_id`."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    action: str = Field(description="What happened, e.g. `auth.sign_in`, `user.deleted`")
    actor: str = Field(description="Who: `user alice`, `token ci`, `cli`, `anonymous`, ...")
    source: str | None = Field(description="The client's address; null from the command line")
    target: str | None = Field(description="What it was done to: a username, a token, a server")
    detail: str | None


class AuditEventList(BaseModel):
    data: list[AuditEventRead]
    count: int
    next_before_id: int | None = Field(
        description="Pass as before_id for the next older page; null when this is the last"
    )
