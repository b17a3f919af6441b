"""Signing in: credentials in, the signed-in identity out (the session itself is a cookie)."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from homelab_cmd.domain.access import Role
from homelab_cmd.domain.passwords import MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=MAX_USERNAME_CHARS)
    # Any length up to the cap: a wrong password is a 401, not a lesson in the rules.
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)


class SetupRequest(BaseModel):
    token: str = Field(min_length=1, max_length=200, description="From the hub's setup link")
    username: str = Field(min_length=1, max_length=MAX_USERNAME_CHARS)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)


class Me(BaseModel):
    """Who the request's credential belongs to."""

    name: str = Field(description="The username, or the token's name")
    role: Role
    kind: Literal["session", "token"]
    expires_at: datetime | None = Field(None, description="When a session ends")


class BrowserSession(BaseModel):
    """What the web UI needs on load: who its cookie signs in, and whether setup is pending."""

    user: Me | None = Field(description="The signed-in person; null without a valid session")
    setup_open: bool = Field(description="Whether the hub waits for its first admin's setup link")
