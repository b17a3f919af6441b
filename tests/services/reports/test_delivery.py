"""Sending the report: queued in the outbox, delivered by the real sender into loopback sinks,
once per week and channel on schedule, from one hub or two."""

import logging
import threading
from datetime import UTC, datetime, timedelta
from email.message import Message

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.models import AuditEvent, NotificationChannel, NotificationOutbox
from homelab_cmd.errors import NoNotificationChannel
from homelab_cmd.services.maintenance.scheduler import MaintenanceScheduler
from homelab_cmd.services.notify.outbox import OutboxSender
from homelab_cmd.services.reports.delivery import (
    ReportConfig,
    schedule_warnings,
    send_due,
    send_now,
)
from tests.notify_sinks import http_sink, smtp_sink, wait_for
from tests.services.reports.fleet import build_fleet

SLOT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday
HOSTILE_HOST = "<script>alert(1)</script>**nas**"


def config(settings: Settings, urls: list[str], schedule: str = "Mon 08:00 UTC") -> ReportConfig:
    changed = settings.model_copy(
        update={
            "notify_urls": ",".join(urls),
            "report_schedule": schedule,
            "public_url": "http://hub.test",
        }
    )
    return ReportConfig.from_settings(changed)


def add_channel(engine: Engine, url: str, enabled: bool = True) -> int:
    with Session(engine) as session:
        channel = NotificationChannel(
            name="mail", url=url, min_severity="critical", enabled=enabled, created_at=SLOT
        )
        session.add(channel)
        session.commit()
        return channel.id


def queued(engine: Engine) -> list[NotificationOutbox]:
    with Session(engine) as session:
        return list(session.scalars(select(NotificationOutbox).order_by(NotificationOutbox.id)))


def deliver(engine: Engine, env_urls: list[str], done: object, what: str) -> None:
    sender = OutboxSender(engine, env_urls, retry_seconds=0.05, retry_max_seconds=0.2)

    def step() -> bool:
        sender.deliver_due(datetime.now(UTC) + timedelta(days=1))  # past the test's clock
        return bool(done() if callable(done) else done)

    wait_for(step, what)


def html_of(mail: Message) -> str:
    parts = [p for p in mail.walk() if p.get_content_type() == "text/html"]
    assert parts, "the e-mail has an HTML body"
    return str(parts[0].get_payload(decode=True).decode())  # type: ignore[union-attr]


def test_with_no_channel_nothing_is_queued(engine: Engine, settings: Settings) -> None:
    add_channel(engine, "json://127.0.0.1:9/", enabled=False)
    with Session(engine) as session, pytest.raises(NoNotificationChannel):
        send_now(session, settings, actor="user admin", source=None)
    assert queued(engine) == []


def test_sent_now_a_webhook_gets_the_text_and_an_email_the_tables(
    engine: Engine, settings: Settings
) -> None:
    build_fleet(engine, datetime.now(UTC), {"nas-1": HOSTILE_HOST})
    with http_sink() as hook, smtp_sink() as mail:
        # A channel asking for critical alerts only still gets the report: it is no alert.
        add_channel(engine, mail.url)
        env = settings.model_copy(update={"notify_urls": hook.url})
        with Session(engine) as session:
            answer = send_now(session, env, actor="user admin", source="127.0.0.1")
        assert answer.channels == 2
        deliver(engine, [hook.url], lambda: hook.messages() and mail.received, "both channels")

    [message] = hook.messages()
    assert message["title"].startswith("HomelabCmd weekly capacity report ")
    assert message["title"].endswith("6 filesystems fill within 90 days, 5 alerts firing")
    text = message["message"]
    assert "FILLING WITHIN 90 DAYS, SOONEST FIRST" in text
    # A json:// hook renders nothing: the agent's text arrives as sent, on its own line.
    assert f"- {HOSTILE_HOST} /srv: full " in text
    assert "ALERTS THIS WEEK: 4 OPENED, 1 ACKNOWLEDGED, 1 RESOLVED, 5 STILL FIRING" in text
    [email] = mail.received
    assert email["Subject"] == message["title"]
    html = html_of(email)
    assert "<table" in html and "<th>Filesystem</th>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;**nas** /srv" in html
    assert "<script" not in html
    rows = queued(engine)
    assert {(r.event, r.severity) for r in rows} == {("report", "info"), ("report-html", "info")}
    assert all(r.sent_at is not None and r.last_error is None for r in rows)
    with Session(engine) as session:
        event = session.scalars(select(AuditEvent)).one()
    assert (event.action, event.actor, event.detail) == (
        "report.sent",
        "user admin",
        "queued for 2 channels",
    )


def test_a_markdown_channel_gets_agent_text_escaped(engine: Engine, settings: Settings) -> None:
    build_fleet(engine, datetime.now(UTC), {"nas-1": HOSTILE_HOST})
    with http_sink() as hook:
        url = f"{hook.url}?format=markdown"
        with Session(engine) as session:
            send_now(
                session, settings.model_copy(update={"notify_urls": url}), actor="t", source=None
            )
        deliver(engine, [url], hook.messages, "the report")

    text = hook.messages()[0]["message"]
    assert r"\<script\>alert\(1\)\</script\>\*\*nas\*\*" in text
    assert "<script>" not in text and "**nas**" not in text


def test_a_failing_channel_gets_the_report_when_it_recovers(
    engine: Engine, settings: Settings
) -> None:
    with http_sink(fail_next=2) as hook:
        with Session(engine) as session:
            send_now(
                session,
                settings.model_copy(update={"notify_urls": hook.url}),
                actor="t",
                source=None,
            )
        deliver(engine, [hook.url], hook.messages, "the report after two failures")
        assert hook.failed == 2
    [row] = queued(engine)
    assert (row.attempts, row.sent_at is not None) == (2, True)


def test_the_scheduled_report_is_queued_once_per_channel_and_week(
    engine: Engine, settings: Settings
) -> None:
    build_fleet(engine, SLOT - timedelta(hours=1))
    add_channel(engine, "mailto://hub@127.0.0.1:9?mode=insecure&from=a@b.test&to=c@d.test")
    reports = config(settings, ["json://127.0.0.1:9/hook"])

    assert send_due(engine, reports, SLOT - timedelta(minutes=1)) == 0  # not yet
    assert send_due(engine, reports, SLOT) == 2
    assert send_due(engine, reports, SLOT + timedelta(hours=3)) == 0  # the hub restarted
    assert send_due(engine, reports, SLOT + timedelta(days=7)) == 2  # next week's
    rows = queued(engine)
    assert [(r.channel_key, r.created_at) for r in rows] == [
        ("env:0", SLOT),
        ("db:1", SLOT),
        ("env:0", SLOT + timedelta(days=7)),
        ("db:1", SLOT + timedelta(days=7)),
    ]
    assert {r.event for r in rows} == {"report", "report-html"}


def test_a_missed_slot_is_sent_later_that_day_but_not_the_next(
    engine: Engine, settings: Settings
) -> None:
    reports = config(settings, ["json://127.0.0.1:9/hook"])

    # The hub was down from Sunday to Tuesday: Monday's report is not sent on Tuesday.
    assert send_due(engine, reports, SLOT + timedelta(days=1, hours=1)) == 0
    # Down at 08:00, back at 17:00 the same Monday: sent then, once.
    assert send_due(engine, reports, SLOT + timedelta(hours=9)) == 1
    assert send_due(engine, reports, SLOT + timedelta(hours=15, minutes=59)) == 0


def test_a_slot_just_before_midnight_is_sent_after_it_once(
    engine: Engine, settings: Settings
) -> None:
    late = SLOT + timedelta(hours=15, minutes=58)  # Monday 23:58 UTC
    reports = config(settings, ["json://127.0.0.1:9/hook"], schedule="Mon 23:58 UTC")

    # The maintenance pass runs every 5 minutes: at 23:55 not yet, at 00:00 and 00:05 (Tuesday)
    # still owed, queued once.
    assert send_due(engine, reports, late - timedelta(minutes=3)) == 0
    assert send_due(engine, reports, late + timedelta(minutes=2)) == 1
    assert send_due(engine, reports, late + timedelta(minutes=7)) == 0
    assert [r.created_at for r in queued(engine)] == [late + timedelta(minutes=2)]


def test_a_report_sent_by_hand_after_the_slot_is_that_weeks(
    engine: Engine, settings: Settings
) -> None:
    env = settings.model_copy(update={"notify_urls": "json://127.0.0.1:9/hook"})
    with Session(engine) as session:
        send_now(session, env, actor="t", source=None)
    sent_at = queued(engine)[0].created_at
    # Today's slot at midnight: it came before the report sent by hand.
    today = f"{sent_at:%a} 00:00 UTC"
    reports = config(settings, ["json://127.0.0.1:9/hook"], schedule=today)

    assert send_due(engine, reports, sent_at) == 0
    # A channel added since is still owed it.
    add_channel(engine, "json://127.0.0.1:9/other")
    assert send_due(engine, reports, sent_at) == 1


def test_no_schedule_queues_nothing(engine: Engine, settings: Settings) -> None:
    reports = config(settings, ["json://127.0.0.1:9/hook"], schedule="")

    assert send_due(engine, reports, SLOT) == 0
    assert queued(engine) == []


def test_two_hubs_at_the_slot_queue_one_report_per_channel(db_url: str, settings: Settings) -> None:
    engines = [make_engine(db_url) for _ in range(2)]
    reports = config(settings, ["json://127.0.0.1:9/a", "json://127.0.0.1:9/b"])
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def hub(engine: Engine) -> None:
        barrier.wait()
        counts.append(send_due(engine, reports, SLOT + timedelta(seconds=30)))

    threads = [threading.Thread(target=hub, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(counts) == [0, 2]
        with Session(engines[0]) as session:
            assert session.scalar(select(func.count()).select_from(NotificationOutbox)) == 2
    finally:
        for engine in engines:
            engine.dispose()


def test_sinks_see_one_message_each(engine: Engine, settings: Settings) -> None:
    # The report is sent alone, never merged with another message for the hub.
    with http_sink() as hook:
        env = settings.model_copy(update={"notify_urls": hook.url})
        for _ in range(2):
            with Session(engine) as session:
                send_now(session, env, actor="t", source=None)
        deliver(engine, [hook.url], lambda: len(hook.messages()) >= 2, "two reports")
    assert [m["title"][:34] for m in hook.messages()] == ["HomelabCmd weekly capacity report "] * 2
    assert all("alert changes" not in m["title"] for m in hook.messages())


@pytest.mark.parametrize(
    ("schedule", "maintenance_seconds", "alert_seconds", "switched_off"),
    [
        ("Mon 08:00", 300, 10.0, []),
        ("", 0, 0.0, []),
        ("Mon 08:00", 300, 0.0, ["ALERT_EVALUATION_SECONDS"]),
        ("Mon 08:00", 0, 10.0, ["MAINTENANCE_INTERVAL_SECONDS"]),
        ("Mon 08:00", 0, 0.0, ["MAINTENANCE_INTERVAL_SECONDS", "ALERT_EVALUATION_SECONDS"]),
    ],
)
def test_a_schedule_this_hub_would_not_deliver_is_warned_of(
    settings: Settings,
    schedule: str,
    maintenance_seconds: int,
    alert_seconds: float,
    switched_off: list[str],
) -> None:
    changed = settings.model_copy(
        update={
            "report_schedule": schedule,
            "maintenance_interval_seconds": maintenance_seconds,
            "alert_evaluation_seconds": alert_seconds,
        }
    )

    warnings = schedule_warnings(changed)

    assert [w.split(" is 0:")[0].rsplit("HOMELAB_CMD_", 1)[1] for w in warnings] == switched_off


def test_the_hub_logs_at_start_that_its_scheduled_report_would_not_be_sent(
    engine: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Maintenance stays off here (the test settings' 0), so start runs no thread and no pass.
    changed = settings.model_copy(
        update={"report_schedule": "Mon 08:00", "alert_evaluation_seconds": 0.0}
    )
    scheduler = MaintenanceScheduler(engine, changed)

    with caplog.at_level(logging.WARNING):
        scheduler.start()
    scheduler.stop()

    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("queued but this hub does not send it" in m for m in logged)
    assert any("queues no weekly capacity report" in m for m in logged)
