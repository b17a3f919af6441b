"""Silences: no messages for a server, or its mounts matching a pattern, until an end time."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.ids import get_row
from homelab_cmd.db.models import Server, Silence
from homelab_cmd.errors import InvalidSilence, ServerNotFound, SilenceNotFound
from homelab_cmd.schemas.alert import SilenceCreate
from homelab_cmd.services import audit


def create_silence(
    session: Session,
    body: SilenceCreate,
    by: str,
    *,
    actor: str | None = None,
    source: str | None = None,
) -> Silence:
    now = datetime.now(UTC)
    if body.ends_at.tzinfo is None:
        raise InvalidSilence("ends_at needs a timezone, e.g. 2026-12-01T18:00:00Z")
    if body.ends_at <= now:
        raise InvalidSilence(f"ends_at ({body.ends_at.isoformat()}) is already past")
    if session.get(Server, body.server_id) is None:
        raise ServerNotFound(body.server_id)
    silence = Silence(
        server_id=body.server_id,
        mount_pattern=body.mount_pattern,
        comment=body.comment,
        created_by=by,
        created_at=now,
        ends_at=body.ends_at,
    )
    session.add(silence)
    if actor is not None:
        audit.record(
            session,
            "silence.created",
            actor,
            now,
            source=source,
            target=_silence_scope(silence),
            detail=f"until {body.ends_at.isoformat()}"
            + (f": {body.comment}" if body.comment else ""),
        )
    session.commit()
    return silence


def list_silences(session: Session, include_ended: bool) -> list[Silence]:
    query = select(Silence).order_by(Silence.ends_at.desc(), Silence.id.desc())
    if not include_ended:
        query = query.where(Silence.ends_at > datetime.now(UTC))
    return list(session.scalars(query.limit(1000)))


def delete_silence(
    session: Session, silence_id: int, *, actor: str | None = None, source: str | None = None
) -> None:
    """End a silence now (messages of alerts still firing go out on the next pass)."""
    silence = get_row(session, Silence, silence_id)
    if silence is None:
        raise SilenceNotFound(silence_id)
    session.delete(silence)
    if actor is not None:
        audit.record(
            session,
            "silence.removed",
            actor,
            datetime.now(UTC),
            source=source,
            target=_silence_scope(silence),
            detail=f"silence {silence_id}",
        )
    session.commit()


def _silence_scope(silence: Silence) -> str:
    mounts = f", mounts {silence.mount_pattern}" if silence.mount_pattern else ""
    return f"server {silence.server_id}{mounts}"
