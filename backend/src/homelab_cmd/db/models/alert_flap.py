"""How often a condition changed state lately, and whether it is flapping (docs/alerts.md).

One row per condition (kind, server, mount) that changed state within the flapping window,
kept across the alert rows it goes through (each fire and resolve is a new alert row).
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import StrEnumString, UtcDateTime
from homelab_cmd.domain.alerts import AlertKind, Severity


class AlertFlap(Base):
    __tablename__ = "alert_flap"

    # SHA-256 of (kind, server, mount), as an open alert's `open_key`.
    condition_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    server_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("server.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AlertKind] = mapped_column(StrEnumString(AlertKind, 32))
    mount_point: Mapped[str | None] = mapped_column(Text)
    # Changes within the window, counted per slot of a 60th of it: [[slot start (epoch s), n]],
    # so a condition changing every second costs at most 60 pairs, not one entry per change.
    changes: Mapped[list[list[int]]] = mapped_column(JSON)
    last_change_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The worst severity among the changes counted: who hears that it flaps and settles.
    severity: Mapped[Severity] = mapped_column(StrEnumString(Severity, 16))
    # Set while flapping: its messages are held until no change for the settle time.
    flapping_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    changes_while_flapping: Mapped[int] = mapped_column(Integer, server_default="0")
    # The severity the last [FLAPPING] message announced: a worse one while it flaps is told
    # again, so channels that take only the worse one (a pager) hear that it flaps.
    told_severity: Mapped[Severity | None] = mapped_column(StrEnumString(Severity, 16))
