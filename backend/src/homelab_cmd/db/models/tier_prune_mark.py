"""How far each history tier has been pruned: what a late rollup must merge into, not rebuild."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds


class TierPruneMark(Base):
    __tablename__ = "tier_prune_mark"

    # A Resolution value: raw, hourly or daily.
    tier: Mapped[str] = mapped_column(String(16), primary_key=True)
    # Every row of the tier before this instant has been deleted (a whole bucket of the tier
    # above at a time), so rows found there later are late arrivals only.
    pruned_before: Mapped[datetime] = mapped_column(EpochSeconds)
