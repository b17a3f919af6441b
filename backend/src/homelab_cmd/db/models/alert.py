"""One alert: a condition on a server (and mount) from pending to firing to resolved."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import StrEnumString, UtcDateTime
from homelab_cmd.domain.alerts import AlertKind, AlertState, Severity


class Alert(Base):
    __tablename__ = "alert"
    __table_args__ = (Index("ix_alert_state_resolved_at", "state", "resolved_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AlertKind] = mapped_column(StrEnumString(AlertKind, 32))
    server_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("server.id", ondelete="CASCADE"), index=True
    )
    # Null for conditions of the whole server (offline).
    mount_point: Mapped[str | None] = mapped_column(Text)
    # SHA-256 of (kind, server, mount) while the alert is open, null once resolved: at most one
    # open alert per condition, on every engine (unique constraints ignore nulls).
    open_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    state: Mapped[AlertState] = mapped_column(StrEnumString(AlertState, 16))
    severity: Mapped[Severity] = mapped_column(StrEnumString(Severity, 16))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    fired_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When a message about it was last queued; null while none was (pending, or silenced).
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    notified_severity: Mapped[Severity | None] = mapped_column(StrEnumString(Severity, 16))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(Text)
    # The server is offline: the condition cannot be checked, so the alert is kept as it was.
    unknown: Mapped[bool] = mapped_column(Boolean, server_default=false())
    message: Mapped[str] = mapped_column(Text)
    # The figures behind the message: percent, free_bytes, total_bytes, full_at, …
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
