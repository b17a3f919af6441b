"""The fill forecast of a filesystem, recomputed by the rollup job so reads stay one lookup.

The forecast columns come from the catalogue in `domain/forecast_fields.py`: of the bytes, then
the same forecast of the inodes where the agent reports them (null elsewhere). Growth is null
with under a day of history since the last cleanup or resize; the fill date is null when the
filesystem is not growing (or would take over ten years to fill), and the latest of its range
when it may never fill. Alerts act on confident forecasts only (enough history and a range no
wider than the time left).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Enum, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds
from homelab_cmd.domain.forecast import ForecastBasis
from homelab_cmd.domain.forecast_fields import QUANTITIES, ForecastField, stored_fields


def _column(field: ForecastField) -> Any:
    kind: Any
    if field.kind is bool:
        return mapped_column(Boolean, server_default=false(), nullable=field.nullable)
    if field.kind is ForecastBasis:
        kind = Enum(
            ForecastBasis,
            native_enum=False,
            length=field.max_length,
            values_callable=lambda e: [m.value for m in e],
        )
    elif field.kind is str:
        kind = String(field.max_length)
    else:
        kind = {float: Float, int: BigInteger, datetime: EpochSeconds}[field.kind]
    return mapped_column(kind, nullable=field.nullable)


def forecast_columns() -> type:
    """One column per stored forecast field of each quantity, bytes first."""
    columns = {f.name(q): _column(f) for q in QUANTITIES for f in stored_fields(q)}
    return type("ForecastColumns", (), columns)


class FilesystemTrend(forecast_columns(), Base):  # type: ignore[misc]
    __tablename__ = "filesystem_trend"

    filesystem_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("filesystem.id", ondelete="CASCADE"), primary_key=True
    )
    computed_at: Mapped[datetime] = mapped_column(EpochSeconds)
