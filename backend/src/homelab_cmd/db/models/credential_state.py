"""What every hub on the database must know about credentials, in one row that all of them poll."""

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import UtcDateTime

# The one row's id; the migration inserts it.
STATE_ID = 1


class CredentialState(Base):
    __tablename__ = "credential_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Moves on every revocation (token revoked or rotated, server deleted, legacy key turned off,
    # password reset): a hub that sees it move empties its cache of verified credentials, so a
    # revocation made on one hub holds on all of them within one poll.
    generation: Mapped[int] = mapped_column(BigInteger)
    # The legacy shared key is refused by every hub from this instant on (null: still accepted).
    legacy_key_disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
