"""Adding a host: the admin's code and install command, the host's enrollment, the legacy key."""

from datetime import datetime

from pydantic import BaseModel, Field

from homelab_cmd.schemas.common import Text


class EnrollmentCreate(BaseModel):
    expires_in_minutes: int = Field(60, ge=5, le=7 * 24 * 60, description="How long the code works")


class EnrollmentCode(BaseModel):
    """A single-use code, shown once, with the commands that use it on the new host."""

    code: str
    expires_at: datetime
    server_id: str | None = Field(None, description="The server the code re-enrolls, if any")
    install_command: str = Field(description="Run on the host: installs, enrolls and starts")
    enroll_command: str = Field(description="For a host that has the agent installed already")
    hub_url_warning: str | None = Field(
        None,
        description="Set when the commands name a loopback address (127.0.0.1, localhost), "
        "which other hosts cannot reach: what to do instead",
    )


class EnrollRequest(BaseModel):
    code: str = Field(min_length=1, max_length=200)
    hostname: Text = Field(min_length=1, max_length=255, examples=["nas.home.lan"])
    server_guid: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The host's lasting identity; enrolling again with it keeps the server",
    )


class EnrollResponse(BaseModel):
    server_id: str = Field(description="Send heartbeats with this server_id")
    display_name: str
    token: str = Field(description="This host's agent token; shown only now")


class SeenServer(BaseModel):
    server_id: str
    last_heartbeat_at: datetime


class LegacyKeyServer(SeenServer):
    may_report: bool = Field(
        description="Whether the legacy key still reports for it: only a server that never "
        "enrolled; an enrolled one's heartbeats on the key are refused (403)"
    )


class PlainHttpServers(BaseModel):
    """Servers whose latest heartbeat came unencrypted from another machine."""

    servers: list[SeenServer] = Field(
        description="Since the hub started; a heartbeat over https (or from loopback) clears one"
    )


class LegacyKeyStatus(BaseModel):
    """The shared key of earlier versions: accepted for heartbeats until turned off."""

    enabled: bool
    servers: list[LegacyKeyServer] = Field(
        description="Servers whose heartbeats came with it since the hub started"
    )
    never_enrolled: list[str] = Field(
        [],
        description="Every server that never enrolled: the only ones the key may report for",
    )
