"""Notification channels: HOMELAB_CMD_NOTIFY_URLS and those stored through the API."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from homelab_cmd.db.ids import get_row
from homelab_cmd.db.models import NotificationChannel, NotificationOutbox
from homelab_cmd.domain.alerts import Severity
from homelab_cmd.errors import ChannelNotFound
from homelab_cmd.schemas.notification import ChannelList, ChannelRead, EnvironmentChannelRead
from homelab_cmd.services import audit
from homelab_cmd.services.notify import send as notify_send


@dataclass(frozen=True)
class Target:
    """Where a message may go: its outbox key, URL and the least severity it wants."""

    key: str
    url: str
    min_severity: Severity

    def wants(self, severity: Severity) -> bool:
        return severity.rank >= self.min_severity.rank


def env_targets(urls: list[str], min_severity: str) -> list[Target]:
    return [Target(f"env:{i}", url, Severity(min_severity)) for i, url in enumerate(urls)]


# Built once, and read as plain rows: an alert pass with a message to queue reads them.
_ENABLED = select(
    NotificationChannel.id, NotificationChannel.url, NotificationChannel.min_severity
).where(NotificationChannel.enabled.is_(True))


def stored_targets(db: Session | Connection) -> list[Target]:
    return [Target(f"db:{i}", url, Severity(least)) for i, url, least in db.execute(_ENABLED)]


def url_of(session: Session, key: str, env_urls: list[str]) -> str | None:
    """The URL behind an outbox key; None once the channel is gone or switched off."""
    source, _, ident = key.partition(":")
    if source == "env":
        index = int(ident)
        return env_urls[index] if index < len(env_urls) else None
    channel = session.get(NotificationChannel, int(ident))
    return channel.url if channel is not None and channel.enabled else None


def list_channels(session: Session) -> list[NotificationChannel]:
    return list(session.scalars(select(NotificationChannel).order_by(NotificationChannel.id)))


def get_channel(session: Session, channel_id: int) -> NotificationChannel:
    channel = get_row(session, NotificationChannel, channel_id)
    if channel is None:
        raise ChannelNotFound(channel_id)
    return channel


def create_channel(
    session: Session,
    values: dict[str, Any],
    *,
    actor: str | None = None,
    source: str | None = None,
) -> NotificationChannel:
    """Store a channel; with `actor`, recorded in the audit log (its URL redacted)."""
    notify_send.check_url(values["url"])
    channel = NotificationChannel(
        name=values["name"],
        url=values["url"],
        min_severity=str(values.get("min_severity") or Severity.WARNING),
        enabled=values.get("enabled", True),
        created_at=datetime.now(UTC),
    )
    session.add(channel)
    _audit(session, actor, source, "channel.created", channel=channel, detail=_described(channel))
    session.commit()
    return channel


def update_channel(
    session: Session,
    channel_id: int,
    changes: dict[str, Any],
    *,
    actor: str | None = None,
    source: str | None = None,
) -> NotificationChannel:
    channel = get_channel(session, channel_id)
    if changes.get("url") is not None:
        notify_send.check_url(changes["url"])
    changed = []
    for name, value in changes.items():
        if value is not None:
            setattr(channel, name, str(value) if name == "min_severity" else value)
            changed.append(name)
    detail = ", ".join(changed) + f" ({_described(channel)})" if changed else "nothing"
    _audit(session, actor, source, "channel.changed", channel=channel, detail=detail)
    session.commit()
    return channel


def delete_channel(
    session: Session, channel_id: int, *, actor: str | None = None, source: str | None = None
) -> None:
    channel = get_channel(session, channel_id)
    session.delete(channel)
    _audit(session, actor, source, "channel.removed", channel=channel, detail=_described(channel))
    session.commit()


def _described(channel: NotificationChannel) -> str:
    # The URL only ever redacted: the audit log holds no secret.
    state = "" if channel.enabled else ", off"
    return f"{notify_send.redacted(channel.url)}, {channel.min_severity} and above{state}"


def _audit(
    session: Session,
    actor: str | None,
    source: str | None,
    action: str,
    *,
    channel: NotificationChannel,
    detail: str,
) -> None:
    if actor is not None:
        audit.record(
            session,
            action,
            actor,
            datetime.now(UTC),
            source=source,
            target=f"channel {channel.name}",
            detail=detail,
        )


def test_channel(session: Session, channel_id: int, public_url: str | None) -> str | None:
    """Send a test message now, past the outbox; None when it was delivered."""
    channel = get_channel(session, channel_id)
    link = f"\n{public_url.rstrip('/')}/" if public_url else ""
    return notify_send.send(
        channel.url,
        "HomelabCmd test message",
        f"This channel ({channel.name}) receives HomelabCmd alerts.{link}",
        "info",
    )


def queue_status(session: Session) -> dict[str, tuple[int, str | None]]:
    """Per channel key: messages waiting, and the latest failure among them."""
    query = (
        select(
            NotificationOutbox.channel_key,
            func.count(),
            func.max(NotificationOutbox.last_error),
        )
        .where(NotificationOutbox.sent_at.is_(None))
        .group_by(NotificationOutbox.channel_key)
    )
    return {key: (int(count), error) for key, count, error in session.execute(query)}


def read_channels(session: Session, env_urls: list[str], env_min_severity: str) -> ChannelList:
    status = queue_status(session)
    data = [
        ChannelRead(
            id=c.id,
            name=c.name,
            url_redacted=notify_send.redacted(c.url),
            min_severity=Severity(c.min_severity),
            enabled=c.enabled,
            created_at=c.created_at,
            queued=status.get(f"db:{c.id}", (0, None))[0],
            last_error=status.get(f"db:{c.id}", (0, None))[1],
        )
        for c in list_channels(session)
    ]
    environment = [
        EnvironmentChannelRead(
            index=i,
            url_redacted=notify_send.redacted(url),
            min_severity=Severity(env_min_severity),
            queued=status.get(f"env:{i}", (0, None))[0],
            last_error=status.get(f"env:{i}", (0, None))[1],
        )
        for i, url in enumerate(env_urls)
    ]
    return ChannelList(data=data, count=len(data), environment=environment)


def read_channel(session: Session, channel: NotificationChannel) -> ChannelRead:
    queued, error = queue_status(session).get(f"db:{channel.id}", (0, None))
    return ChannelRead(
        id=channel.id,
        name=channel.name,
        url_redacted=notify_send.redacted(channel.url),
        min_severity=Severity(channel.min_severity),
        enabled=channel.enabled,
        created_at=channel.created_at,
        queued=queued,
        last_error=error,
    )
