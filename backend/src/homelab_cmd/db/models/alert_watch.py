"""What the alert evaluation remembers of a filesystem between passes."""

from sqlalchemy import Boolean, ForeignKey, Integer, false
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base


class AlertWatch(Base):
    __tablename__ = "alert_watch"

    filesystem_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("filesystem.id", ondelete="CASCADE"), primary_key=True
    )
    # Seen writable once: only such a mount turning read-only is a flip (an ISO never is).
    seen_writable: Mapped[bool] = mapped_column(Boolean, server_default=false())
