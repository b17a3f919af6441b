"""People's accounts as admins manage them: never a password or its hash on the way out."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from homelab_cmd.domain.access import Role
from homelab_cmd.domain.passwords import MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS


class UserRole(StrEnum):
    """What a person may do: `admin` everything, `read` see everything and change nothing."""

    READ = Role.READ.value
    ADMIN = Role.ADMIN.value


class UserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=MAX_USERNAME_CHARS)
    # Checked against the password rules by the service, which says which one failed (422).
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_CHARS)
    role: UserRole = UserRole.READ


class UserUpdate(BaseModel):
    """Either or both; a new role or password signs the account's sessions out."""

    role: UserRole | None = None
    password: str | None = Field(None, min_length=1, max_length=MAX_PASSWORD_CHARS)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: UserRole
    created_at: datetime
    password_changed_at: datetime


class UserList(BaseModel):
    data: list[UserRead]
    count: int
