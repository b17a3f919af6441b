"""Alerts, silences and alert settings as the API shows them."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from homelab_cmd.domain.alerts import AlertKind, AlertState, MountMode, Severity
from homelab_cmd.schemas.common import Text

MountPattern = Annotated[
    str, StringConstraints(min_length=1, max_length=4096, pattern=r"^[^\x00]*$")
]
Percent = Annotated[float, Field(gt=0, le=100)]
Days = Annotated[float, Field(gt=0, le=3650)]
Bytes = Annotated[int, Field(ge=0, le=2**63 - 1)]


class AlertFilter(StrEnum):
    """`open` is pending and firing; `acknowledged` is firing and acknowledged."""

    FIRING = "firing"
    PENDING = "pending"
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    ALL = "all"


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: AlertKind
    server_id: str
    server_name: str = Field(description="The server's display name, else its hostname")
    mount_point: str | None = Field(description="Null for conditions of the whole server")
    state: AlertState
    severity: Severity
    started_at: datetime = Field(description="When the condition was first met (pending)")
    fired_at: datetime | None
    resolved_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    unknown: bool = Field(description="The server is offline: kept as it was, not re-checked")
    flapping: bool = Field(
        False,
        description="Its condition changes state too often: its messages are held until it "
        "settles (docs/alerts.md, Flapping)",
    )
    message: str
    figures: dict[str, Any] | None


class AlertList(BaseModel):
    data: list[AlertRead]
    count: int


class SilenceCreate(BaseModel):
    server_id: Text = Field(max_length=100)
    mount_pattern: MountPattern | None = Field(
        None, description="A mount point or shell glob; null silences the whole server"
    )
    ends_at: datetime = Field(description="When messages resume (timezone required)")
    comment: Text | None = Field(None, max_length=500)


class SilenceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    server_id: str
    mount_pattern: str | None
    comment: str | None
    created_by: str
    created_at: datetime
    ends_at: datetime


class SilenceList(BaseModel):
    data: list[SilenceRead]
    count: int


class AlertLevels(BaseModel):
    """Levels of one scope; a null or absent field inherits from the wider scope.

    Warning levels may not be stricter than critical ones (checked by the service: 422).
    """

    mode: MountMode | None = None
    warn_percent: Percent | None = None
    crit_percent: Percent | None = None
    warn_free_bytes: Bytes | None = Field(None, description="Null: size-aware default")
    crit_free_bytes: Bytes | None = Field(None, description="Null: size-aware default")
    warn_days: Days | None = None
    crit_days: Days | None = None
    inodes_warn_percent: Percent | None = None
    inodes_crit_percent: Percent | None = None


class EffectiveLevels(BaseModel):
    """The levels in force once built-in defaults and wider scopes are applied."""

    mode: MountMode
    warn_percent: float
    crit_percent: float
    clear_margin_percent: float
    warn_free_bytes: int | None
    crit_free_bytes: int | None
    warn_days: float
    crit_days: float
    inodes_warn_percent: float
    inodes_crit_percent: float


class AlertSettingsRead(AlertLevels):
    server_id: str | None
    mount_pattern: str | None
    effective: EffectiveLevels


class MountSettingUpdate(AlertLevels):
    mount_point: MountPattern = Field(description="A mount point, or a shell glob like /mnt/*")


class MountLevels(BaseModel):
    """The levels in force for one filesystem of the server, and the mount rule behind them."""

    mount_point: str
    rule: str | None = Field(description="The pattern of the mount rule that applies, if any")
    effective: EffectiveLevels


class MountSettingList(BaseModel):
    data: list[AlertSettingsRead]
    count: int
    mounts: list[MountLevels] = Field(description="Each filesystem of the latest heartbeat")
