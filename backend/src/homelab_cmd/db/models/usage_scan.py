"""One usage scan of a filesystem: its figures and its directory tree, stored compactly."""

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import StrEnumString, UtcDateTime
from homelab_cmd.domain.usage import StoppedBy


class UsageScan(Base):
    __tablename__ = "usage_scan"
    # A filesystem's kept scans, newest first; mount_key as filesystem's (SHA-256 of the path).
    __table_args__ = (
        Index("ix_usage_scan_server_mount_taken", "server_id", "mount_key", "taken_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    server_id: Mapped[str] = mapped_column(String(100), ForeignKey("server.id", ondelete="CASCADE"))
    mount_key: Mapped[str] = mapped_column(String(64))
    mount_point: Mapped[str] = mapped_column(Text)
    # The heartbeat that brought it: validated against the hub's clock, ordered per server.
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    request_id: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    duration_seconds: Mapped[float] = mapped_column(Float)
    entries: Mapped[int] = mapped_column(BigInteger)
    unreadable: Mapped[int] = mapped_column(BigInteger)
    stopped_by: Mapped[StoppedBy | None] = mapped_column(StrEnumString(StoppedBy, 16))
    # Hard-linked files the agent could not remember past its budget (counted once each per
    # link seen, so sizes may be high): such a scan, like a stopped one, is not compared.
    links_over_budget: Mapped[int] = mapped_column(BigInteger, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    total_bytes: Mapped[int] = mapped_column(BigInteger)
    directory_count: Mapped[int] = mapped_column(Integer)
    # JSON text [[path, bytes, other_bytes], …] in the agent's order (root first, parents before
    # children): at most 2,000 entries, read whole or not at all.
    directories: Mapped[str] = mapped_column(Text)
    # The largest growers against the scan before it that had a tree, [[path, then, now], …],
    # worked out once when it was stored so the alert pass reads a few bytes, not two trees.
    top_growth: Mapped[str | None] = mapped_column(Text)
    growth_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
