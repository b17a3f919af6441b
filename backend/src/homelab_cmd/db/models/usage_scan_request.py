"""A usage scan the hub asked a server's agent for, and where it stands."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import StrEnumString, UtcDateTime
from homelab_cmd.domain.usage import RequestedBy, UsageScanState


class UsageScanRequest(Base):
    __tablename__ = "usage_scan_request"
    __table_args__ = (
        # One open request per filesystem: open_key is the mount key while the request is open
        # and null once closed, and nulls never collide, on either engine.
        UniqueConstraint("server_id", "open_key"),
        # The heartbeat answer's read: a server's open requests.
        Index("ix_usage_scan_request_server_state", "server_id", "state"),
    )

    # Random hex, handed to the agent and echoed back with the scan.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    server_id: Mapped[str] = mapped_column(String(100), ForeignKey("server.id", ondelete="CASCADE"))
    mount_key: Mapped[str] = mapped_column(String(64))
    mount_point: Mapped[str] = mapped_column(Text)
    open_key: Mapped[str | None] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    requested_by: Mapped[RequestedBy] = mapped_column(StrEnumString(RequestedBy, 16))
    state: Mapped[UsageScanState] = mapped_column(StrEnumString(UsageScanState, 16))
    # The agent's progress, from heartbeats while the scan runs.
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    entries: Mapped[int | None] = mapped_column(BigInteger)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
