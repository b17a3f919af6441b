"""The growth trend of a filesystem, recomputed by the rollup job so reads stay one lookup."""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds


class FilesystemTrend(Base):
    __tablename__ = "filesystem_trend"

    filesystem_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("filesystem.id", ondelete="CASCADE"), primary_key=True
    )
    # Null with under a day of history since the last cleanup or resize.
    growth_bytes_per_day: Mapped[float | None] = mapped_column(Float)
    # Null when the filesystem is not growing (or would take over ten years to fill).
    full_at: Mapped[datetime | None] = mapped_column(EpochSeconds)
    computed_at: Mapped[datetime] = mapped_column(EpochSeconds)
