"""One raw server-metrics sample a heartbeat; its key makes a replayed heartbeat a no-op."""

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds


class ServerMetric(Base):
    __tablename__ = "server_metric"
    __table_args__ = {"sqlite_with_rowid": False}

    server_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("server.id", ondelete="CASCADE"), primary_key=True
    )
    sampled_at: Mapped[datetime] = mapped_column(EpochSeconds, primary_key=True)
    cpu_percent: Mapped[float | None] = mapped_column(Float)
    memory_percent: Mapped[float | None] = mapped_column(Float)
    memory_total_bytes: Mapped[int | None] = mapped_column(BigInteger)
    memory_used_bytes: Mapped[int | None] = mapped_column(BigInteger)
    disk_percent: Mapped[float | None] = mapped_column(Float)
    load_1m: Mapped[float | None] = mapped_column(Float)
    load_5m: Mapped[float | None] = mapped_column(Float)
    load_15m: Mapped[float | None] = mapped_column(Float)
    network_rx_bytes: Mapped[int | None] = mapped_column(BigInteger)
    network_tx_bytes: Mapped[int | None] = mapped_column(BigInteger)
    uptime_seconds: Mapped[int | None] = mapped_column(BigInteger)
