"""One raw per-filesystem sample: a clustered (filesystem, time) key and up to five integers."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds


class FilesystemSample(Base):
    __tablename__ = "filesystem_sample"
    # WITHOUT ROWID makes the primary key the table itself: no second index, ~38 bytes a row.
    __table_args__ = {"sqlite_with_rowid": False}

    filesystem_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("filesystem.id", ondelete="CASCADE"), primary_key=True
    )
    sampled_at: Mapped[datetime] = mapped_column(EpochSeconds, primary_key=True)
    total_bytes: Mapped[int] = mapped_column(BigInteger)
    used_bytes: Mapped[int] = mapped_column(BigInteger)
    available_bytes: Mapped[int] = mapped_column(BigInteger)
    # Null without inode figures: a null costs one byte of record header in SQLite.
    inodes_used: Mapped[int | None] = mapped_column(BigInteger)
    inodes_total: Mapped[int | None] = mapped_column(BigInteger)
