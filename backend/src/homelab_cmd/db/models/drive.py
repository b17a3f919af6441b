"""One drive of a server: its latest reading, the counts first seen, its health and reasons."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import StrEnumString, UtcDateTime
from homelab_cmd.domain.drives import DriveHealth


class Drive(Base):
    __tablename__ = "drive"
    __table_args__ = (UniqueConstraint("server_id", "drive_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    server_id: Mapped[str] = mapped_column(String(100), ForeignKey("server.id", ondelete="CASCADE"))
    # The agent's stable identity (wwn:…, serial:<model>:<serial>, path:…), ADR 0004.
    drive_key: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(Text)
    serial: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    # The agent's state: ok, asleep, power_mode_unknown, no_smart, error.
    state: Mapped[str] = mapped_column(String(32))
    health: Mapped[DriveHealth] = mapped_column(StrEnumString(DriveHealth, 16))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    # Findings an acknowledgement keeps quiet (their counts unchanged since).
    hushed: Mapped[list[str]] = mapped_column(JSON)
    # The agent's entry as sent (ADR 0004), the latest reading.
    reading: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Key counts (`ata_5`, `nvme_media_errors`, …): latest, first seen, acknowledged.
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    baseline: Mapped[dict[str, int]] = mapped_column(JSON)
    acknowledged: Mapped[dict[str, int] | None] = mapped_column(JSON)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When the data was read (older than checked_at while the drive sleeps).
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    asleep_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
