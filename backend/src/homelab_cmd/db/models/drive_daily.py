"""One drive's day: temperature min/avg/max and each key count's highest, from its raw readings."""

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds


class DriveDaily(Base):
    __tablename__ = "drive_daily"
    __table_args__ = {"sqlite_with_rowid": False}

    drive_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("drive.id", ondelete="CASCADE"), primary_key=True
    )
    # The UTC midnight the day starts at.
    day: Mapped[datetime] = mapped_column(EpochSeconds, primary_key=True)
    temperature_min: Mapped[int | None] = mapped_column(SmallInteger)
    temperature_avg: Mapped[float | None] = mapped_column(Float)
    temperature_max: Mapped[int | None] = mapped_column(SmallInteger)
    power_on_hours: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    sample_count: Mapped[int] = mapped_column(Integer)
