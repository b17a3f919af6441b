"""One raw server-metrics sample a heartbeat; its key makes a replayed heartbeat a no-op.

The metric columns come from the catalogue in `domain/metrics.py`.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.models.metric_columns import raw_metric_columns
from homelab_cmd.db.types import EpochSeconds


class ServerMetric(raw_metric_columns(), Base):  # type: ignore[misc]
    __tablename__ = "server_metric"
    __table_args__ = {"sqlite_with_rowid": False}

    server_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("server.id", ondelete="CASCADE"), primary_key=True
    )
    sampled_at: Mapped[datetime] = mapped_column(EpochSeconds, primary_key=True)
