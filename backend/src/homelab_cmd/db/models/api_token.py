"""A revocable API credential; only a hash of the secret is stored."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import UtcDateTime


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    # SHA-256 of the secret. Tokens are 256 random bits, so a fast hash is as safe as a slow one
    # (nothing to brute-force) and keeps the per-request lookup cheap.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Agent tokens belong to one server; deleting the server deletes its token with it.
    server_id: Mapped[str | None] = mapped_column(
        String(100), ForeignKey("server.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
