"""Messages waiting for delivery: queued in the evaluation's transaction, sent and retried after.

Queued together with the alert change that caused it, a message is neither lost when the hub
stops nor queued twice when two hubs evaluate; a claim (`claimed_until`) lets one hub send it.
"""

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import UtcDateTime


class NotificationOutbox(Base):
    __tablename__ = "notification_outbox"
    __table_args__ = (Index("ix_notification_outbox_sent_at_due_at", "sent_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # "env:<n>" for the n-th URL of HOMELAB_CMD_NOTIFY_URLS, "db:<id>" for a stored channel.
    channel_key: Mapped[str] = mapped_column(String(80))
    # Messages about one server due together are sent as one (no foreign key: a message about a
    # server deleted meanwhile is still delivered).
    server_id: Mapped[str | None] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(16))
    # "firing", "repeat", "resolved" or "test".
    event: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Not sent before: the grouping window at first, then the retry back-off.
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
