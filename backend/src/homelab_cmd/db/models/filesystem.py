"""A filesystem of a server, named once so samples can refer to it by a small integer."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import UtcDateTime


class Filesystem(Base):
    __tablename__ = "filesystem"
    # Mount points may be 4096 characters, past PostgreSQL's B-tree row limit, so uniqueness
    # is enforced on a SHA-256 of the path instead of the path itself.
    # (server_id, last_seen_at, id): the rows a server's cap retires are found in the index
    # alone, without reading every row's 4 KB mount point to sort them.
    __table_args__ = (
        UniqueConstraint("server_id", "mount_key"),
        Index("ix_filesystem_server_last_seen", "server_id", "last_seen_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    server_id: Mapped[str] = mapped_column(String(100), ForeignKey("server.id", ondelete="CASCADE"))
    mount_key: Mapped[str] = mapped_column(String(64))
    mount_point: Mapped[str] = mapped_column(Text)
    device: Mapped[str] = mapped_column(Text)
    fs_type: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The last report of a vanished filesystem the operator dismissed: a later report (it came
    # back) makes a new vanishing, listed again.
    dismissed_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
