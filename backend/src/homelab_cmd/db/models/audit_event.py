"""Who did what to the hub's access and settings, from where: the audit log."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import UtcDateTime


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    # What happened, a dotted name (`auth.sign_in`, `token.revoked`, `server.deleted`, …).
    action: Mapped[str] = mapped_column(String(64), index=True)
    # Who: `user alice`, `token ci`, `agent nas`, `cli`, `hub`.
    actor: Mapped[str] = mapped_column(Text)
    # The client's address as the hub saw it (after trusted proxies); null from the command line.
    source: Mapped[str | None] = mapped_column(String(64))
    # What it was done to: a username, a token's name, a server id.
    target: Mapped[str | None] = mapped_column(Text)
    # Anything else worth keeping, in words (never a secret).
    detail: Mapped[str | None] = mapped_column(Text)
