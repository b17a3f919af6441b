"""The fill forecast of a filesystem, recomputed by the rollup job so reads stay one lookup."""

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Enum, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds
from homelab_cmd.domain.forecast import ForecastBasis


class FilesystemTrend(Base):
    __tablename__ = "filesystem_trend"

    filesystem_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("filesystem.id", ondelete="CASCADE"), primary_key=True
    )
    # Null with under a day of history since the last cleanup or resize.
    growth_bytes_per_day: Mapped[float | None] = mapped_column(Float)
    # Null when the filesystem is not growing (or would take over ten years to fill).
    full_at: Mapped[datetime | None] = mapped_column(EpochSeconds)
    # The range of the fill date; the latest is null when it may never fill.
    full_at_earliest: Mapped[datetime | None] = mapped_column(EpochSeconds)
    full_at_latest: Mapped[datetime | None] = mapped_column(EpochSeconds)
    # Enough history and a range no wider than the time left: alerts act on these only.
    confident: Mapped[bool] = mapped_column(Boolean, server_default=false())
    forecast_basis: Mapped[ForecastBasis | None] = mapped_column(
        Enum(
            ForecastBasis,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    forecast_reason: Mapped[str | None] = mapped_column(String(120))
    peak_headroom_bytes: Mapped[int | None] = mapped_column(BigInteger)
    # The same forecast for inodes, where the agent reports them (null elsewhere).
    inodes_growth_per_day: Mapped[float | None] = mapped_column(Float)
    inodes_full_at: Mapped[datetime | None] = mapped_column(EpochSeconds)
    inodes_full_at_earliest: Mapped[datetime | None] = mapped_column(EpochSeconds)
    inodes_full_at_latest: Mapped[datetime | None] = mapped_column(EpochSeconds)
    inodes_confident: Mapped[bool] = mapped_column(Boolean, server_default=false())
    inodes_forecast_reason: Mapped[str | None] = mapped_column(String(120))
    computed_at: Mapped[datetime] = mapped_column(EpochSeconds)
