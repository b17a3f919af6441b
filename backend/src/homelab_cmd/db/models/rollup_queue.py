"""Hours that received raw data since they were last rolled up (late data included)."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds


class RollupQueue(Base):
    __tablename__ = "rollup_queue"

    hour_start_at: Mapped[datetime] = mapped_column(EpochSeconds, primary_key=True)
