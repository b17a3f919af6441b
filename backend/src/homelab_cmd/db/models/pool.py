"""One ZFS pool, md array or btrfs filesystem of a server: its latest state, judged when read."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import UtcDateTime


class Pool(Base):
    __tablename__ = "pool"
    __table_args__ = (UniqueConstraint("server_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    server_id: Mapped[str] = mapped_column(String(100), ForeignKey("server.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(255))
    # The agent's entry as sent (ADR 0004).
    reading: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Error counts first seen, by `device:counter`: only an increase past them alerts.
    baseline: Mapped[dict[str, int]] = mapped_column(JSON)
    # Since when the pool has been degraded without a break; null while it is not.
    degraded_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime] = mapped_column(UtcDateTime)
