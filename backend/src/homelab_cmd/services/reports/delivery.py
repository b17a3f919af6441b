"""Sending the capacity report through the notification channels: now, or when it is due.

The report goes to every channel switched on, whatever level of alert it asks for: it is no
alert. It is queued in the outbox like alert messages, so the delivery thread sends it, retries
a failing channel and records the outcome. E-mail gets the HTML tables, every other channel
the plain text (services/notify/send.py escapes it for the channel's markup).

The scheduled report is queued by the maintenance thread (services/maintenance/scheduler.py).
A channel is owed a report while its slot is due (schedule.py due_slot) and no report (scheduled
or sent by hand) was queued for it since the slot; the owed ones are looked up again under the
maintenance lock before anything is queued, so hubs sharing a database send it once.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.locks import MAINTENANCE_LOCK_ID, exclusive_pass
from homelab_cmd.db.models import NotificationOutbox
from homelab_cmd.domain.alerts import Severity
from homelab_cmd.errors import NoNotificationChannel
from homelab_cmd.schemas.report import CapacityReport, ReportQueued
from homelab_cmd.services import audit
from homelab_cmd.services.notify import channels as notify_channels
from homelab_cmd.services.notify import send as notify_send
from homelab_cmd.services.notify.channels import Target
from homelab_cmd.services.notify.outbox import (
    REPORT_EVENT,
    REPORT_EVENTS,
    REPORT_HTML_EVENT,
    Outgoing,
    queue_alone,
)
from homelab_cmd.services.reports import render
from homelab_cmd.services.reports.capacity import ReportOptions, build_report
from homelab_cmd.services.reports.schedule import due_slot, hub_schedule

log = logging.getLogger(__name__)
OUTBOX = NotificationOutbox


@dataclass(frozen=True)
class ReportConfig:
    """What sending reports needs of the settings."""

    options: ReportOptions
    env_urls: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> "ReportConfig":
        return cls(
            options=ReportOptions(
                public_url=settings.public_url,
                scrub_max_age_days=settings.scrub_max_age_days,
                schedule=hub_schedule(settings.report_schedule),
            ),
            env_urls=tuple(settings.notify_url_list),
        )


def schedule_warnings(settings: Settings) -> list[str]:
    """Why this hub would not deliver the scheduled report by itself, for the log at start.

    The maintenance thread queues it and the alert delivery thread sends it: with either
    switched off a schedule is kept in name only (`homelab-cmd maintenance` queues no report).
    """
    if hub_schedule(settings.report_schedule) is None:
        return []
    warnings = []
    if settings.maintenance_interval_seconds <= 0:
        warnings.append(
            "HOMELAB_CMD_REPORT_SCHEDULE is set but HOMELAB_CMD_MAINTENANCE_INTERVAL_SECONDS is 0:"
            " this hub queues no weekly capacity report (homelab-cmd maintenance does not queue"
            " it either; POST /api/v1/reports/capacity/send does)"
        )
    if settings.alert_evaluation_seconds <= 0:
        warnings.append(
            "HOMELAB_CMD_REPORT_SCHEDULE is set but HOMELAB_CMD_ALERT_EVALUATION_SECONDS is 0:"
            " the weekly capacity report is queued but this hub does not send it (notifications"
            " are delivered while alerts are evaluated); it waits in the outbox for a hub"
            " sharing this database with alert evaluation on"
        )
    return warnings


def _targets(session: Session, env_urls: tuple[str, ...]) -> list[Target]:
    # Every channel switched on; the level a channel asks for is about alerts, not reports.
    return notify_channels.env_targets(list(env_urls), Severity.WARNING) + (
        notify_channels.stored_targets(session)
    )


def _messages(report: CapacityReport, targets: list[Target]) -> list[Outgoing]:
    title = render.title(report)
    text = render.as_text(report)
    html: str | None = None
    out = []
    for target in targets:
        if notify_send.shows_html_tables(target.url):
            html = html or render.as_html(report)
            out.append(Outgoing(target.key, None, "info", REPORT_HTML_EVENT, title, html))
        else:
            out.append(Outgoing(target.key, None, "info", REPORT_EVENT, title, text))
    return out


def current_report(session: Session, settings: Settings) -> CapacityReport:
    """The report as it would be sent now."""
    return build_report(session, ReportConfig.from_settings(settings).options, datetime.now(UTC))


def send_now(
    session: Session, settings: Settings, *, actor: str, source: str | None
) -> ReportQueued:
    """Queue the report for every channel now; NoNotificationChannel when there is none."""
    config = ReportConfig.from_settings(settings)
    now = datetime.now(UTC)
    targets = _targets(session, config.env_urls)
    if not targets:
        raise NoNotificationChannel
    report = build_report(session, config.options, now)
    queue_alone(session, _messages(report, targets), now)
    audit.record(
        session,
        "report.sent",
        actor,
        now,
        source=source,
        target="capacity report",
        detail=f"queued for {len(targets)} channel{'s' if len(targets) != 1 else ''}",
    )
    session.commit()
    return ReportQueued(channels=len(targets))


def _owed(session: Session, env_urls: tuple[str, ...], slot: datetime) -> list[Target]:
    """The channels no report was queued for since the slot."""
    had = set(
        session.scalars(
            select(OUTBOX.channel_key)
            .where(OUTBOX.event.in_(REPORT_EVENTS), OUTBOX.created_at >= slot)
            .distinct()
        )
    )
    return [t for t in _targets(session, env_urls) if t.key not in had]


def send_due(engine: Engine, config: ReportConfig, now: datetime) -> int:
    """Queue the scheduled report for the channels owed it at `now`; how many were queued."""
    schedule = config.options.schedule
    slot = None if schedule is None else due_slot(schedule, now)
    if slot is None:
        return 0
    # Looked up and built without the lock (a plain read, which keeps the heartbeat writer
    # going); decided again under it.
    with Session(engine) as session:
        if not _owed(session, config.env_urls, slot):
            return 0
        report = build_report(session, config.options, now)
    with Session(engine) as session, session.begin():
        exclusive_pass(session.connection(), MAINTENANCE_LOCK_ID)
        owed = _owed(session, config.env_urls, slot)
        queue_alone(session, _messages(report, owed), now)
    if owed:
        log.info("weekly capacity report queued for %d channel(s)", len(owed))
    return len(owed)
