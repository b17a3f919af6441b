"""The audit log: who changed the hub's access or settings, and from where.

Each event is a row (read back by `GET /api/v1/audit`) and a line in the hub's log, so it is kept
even when the database is what was tampered with. Nothing secret is ever written here.
"""

import logging
from datetime import datetime

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AuditEvent
from homelab_cmd.db.tables import table_of
from homelab_cmd.domain.access import Principal

log = logging.getLogger("homelab_cmd.audit")

# Longest free text kept per field: an agent's or a person's input never grows the log unbounded.
MAX_FIELD_CHARS = 512


def actor_of(principal: Principal | None) -> str:
    """How the log names who acted: `user alice`, `token ci`, `agent nas`, or `anonymous`."""
    if principal is None:
        return "anonymous"
    if principal.user_id is not None:
        return f"user {principal.name}"
    if principal.server_id is not None or principal.legacy_key:
        return f"agent {principal.server_id or principal.name}"
    return f"token {principal.name}"


def record(
    session: Session,
    action: str,
    actor: str,
    now: datetime,
    *,
    source: str | None = None,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    """Add one event to the session (committed with the change it records) and log it."""
    event = AuditEvent(
        at=now,
        action=action,
        actor=_clip(actor),
        source=_clip(source, 64),
        target=_clip(target),
        detail=_clip(detail),
    )
    session.add(event)
    log.info(
        "audit: %s by %s from %s%s%s",
        action,
        event.actor,
        event.source or "the hub",
        f" on {event.target!r}" if event.target else "",
        f": {event.detail}" if event.detail else "",
    )


def recent(session: Session, limit: int, before_id: int | None = None) -> list[AuditEvent]:
    """The newest events first; `before_id` pages back through older ones."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(session.scalars(query))


def prune(conn: Connection, before: datetime) -> int:
    """Delete the events older than `before` (one range delete on the `at` index); the count.

    Run by the maintenance pass: from two hubs at once, the second deletes nothing more.
    """
    event = table_of(AuditEvent)
    return max(conn.execute(delete(event).where(event.c.at < before)).rowcount, 0)


def _clip(text: str | None, limit: int = MAX_FIELD_CHARS) -> str | None:
    if text is None:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"
