"""A monitored host, with its latest heartbeat kept on the row for one-read lookups."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.base import Base
from homelab_cmd.db.types import EpochSeconds, UtcDateTime


class Server(Base):
    __tablename__ = "server"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    hostname: Mapped[str] = mapped_column(Text)
    display_name: Mapped[str | None] = mapped_column(Text)
    # The identity an enrolled agent keeps across re-enrollments (X-Server-GUID of the original
    # HomelabCmd agents); null for servers that reported before enrollment existed.
    guid: Mapped[str | None] = mapped_column(String(64), unique=True)
    agent_version: Mapped[str | None] = mapped_column(Text)
    os_info: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    latest_metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The latest snapshot: the filesystems of the newest heartbeat, as sent.
    filesystems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # The capacity domains of the newest heartbeat, as sent (null from agents that send none).
    capacity_domains: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Collectors that failed in the newest heartbeat, by name, with the agent's reason.
    collector_errors: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(EpochSeconds)
    # When the hub last heard from the agent (drives online/offline). Whole seconds, like every
    # instant the heartbeat path writes, so the hot path binds plain integers.
    last_seen_at: Mapped[datetime | None] = mapped_column(EpochSeconds)
    # The agent's timestamp of the heartbeat behind the snapshot; older replays never overwrite it.
    latest_heartbeat_at: Mapped[datetime | None] = mapped_column(EpochSeconds)
    # When the server first enrolled (null: it never did, and only those may still report with
    # the legacy shared key).
    enrolled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The last per-host budget this server's agent went over, in words, and when: shown on its
    # page so the operator learns why heartbeats were refused.
    budget_warning: Mapped[str | None] = mapped_column(Text)
    budget_warning_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
