"""A single-use code that lets one host enroll and receive its agent token."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import UtcDateTime


class Enrollment(Base):
    __tablename__ = "enrollment"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the code; the code itself is shown once, to the admin who asked for it.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set for a code made by rotating a server's token: enrolling with it keeps that server.
    server_id: Mapped[str | None] = mapped_column(
        String(100), ForeignKey("server.id", ondelete="CASCADE"), index=True
    )
