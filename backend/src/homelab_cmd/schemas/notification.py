"""Notification channels: Apprise URLs are secrets, shown only redacted."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from homelab_cmd.domain.alerts import Severity

Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"^[^\x00]*$")]
Url = Annotated[str, StringConstraints(min_length=3, max_length=4096, pattern=r"^[^\x00]*$")]


class ChannelCreate(BaseModel):
    name: Name
    url: Url = Field(description="An Apprise URL: ntfy://…, json://…, mailto://…, tgram://…")
    min_severity: Severity = Severity.WARNING
    enabled: bool = True


class ChannelUpdate(BaseModel):
    name: Name | None = None
    url: Url | None = None
    min_severity: Severity | None = None
    enabled: bool | None = None


class ChannelRead(BaseModel):
    id: int
    name: str
    url_redacted: str = Field(description="The URL with its secrets masked")
    min_severity: Severity
    enabled: bool
    created_at: datetime
    queued: int = Field(description="Messages waiting for this channel (a failing one holds some)")
    last_error: str | None = Field(description="Why the latest attempt failed, while one waits")


class EnvironmentChannelRead(BaseModel):
    """A channel from HOMELAB_CMD_NOTIFY_URLS: changed only in the hub's environment."""

    index: int
    url_redacted: str
    min_severity: Severity
    queued: int
    last_error: str | None


class ChannelList(BaseModel):
    data: list[ChannelRead]
    count: int
    environment: list[EnvironmentChannelRead]


class ChannelTestResult(BaseModel):
    delivered: bool
    error: str | None = Field(description="Why the test message did not go out")
