"""Alert levels and mode: global defaults, a server's, or a mount pattern's on one server."""

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import UtcDateTime


class AlertRule(Base):
    __tablename__ = "alert_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "global", "server:<id>" or "mount:<id>:<sha256 of the pattern>": one rule per scope.
    scope_key: Mapped[str] = mapped_column(String(200), unique=True)
    server_id: Mapped[str | None] = mapped_column(
        String(100), ForeignKey("server.id", ondelete="CASCADE"), index=True
    )
    # An exact mount point or a shell glob; null for global and server-wide rules.
    mount_pattern: Mapped[str | None] = mapped_column(Text)
    # Null fields inherit from the wider scope, then the built-in defaults.
    mode: Mapped[str | None] = mapped_column(String(16))
    warn_percent: Mapped[float | None] = mapped_column(Float)
    crit_percent: Mapped[float | None] = mapped_column(Float)
    warn_free_bytes: Mapped[int | None] = mapped_column(BigInteger)
    crit_free_bytes: Mapped[int | None] = mapped_column(BigInteger)
    warn_days: Mapped[float | None] = mapped_column(Float)
    crit_days: Mapped[float | None] = mapped_column(Float)
    inodes_warn_percent: Mapped[float | None] = mapped_column(Float)
    inodes_crit_percent: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
