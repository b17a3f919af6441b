"""One reading of a drive: temperature, power-on hours and the key counts, kept raw."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds


class DriveSample(Base):
    __tablename__ = "drive_sample"
    __table_args__ = {"sqlite_with_rowid": False}

    drive_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("drive.id", ondelete="CASCADE"), primary_key=True
    )
    # When the drive was read (an hour apart by default), not the heartbeat's time.
    sampled_at: Mapped[datetime] = mapped_column(EpochSeconds, primary_key=True)
    temperature_celsius: Mapped[int | None] = mapped_column(SmallInteger)
    power_on_hours: Mapped[int | None] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
