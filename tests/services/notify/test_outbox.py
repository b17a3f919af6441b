"""Delivery from the outbox into real loopback sinks: retries, grouping, claims by two senders."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.models import NotificationOutbox
from homelab_cmd.services.notify.outbox import Enqueuer, OutboxSender, Outgoing
from tests.notify_sinks import http_sink, smtp_sink, wait_for


def queue(engine: Engine, messages: list[Outgoing], group_seconds: float = 0) -> None:
    with Session(engine) as session, session.begin():
        enqueuer = Enqueuer(session, datetime.now(UTC), group_seconds)
        for message in messages:
            enqueuer.add(message)


def message(n: int, server: str = "nas-1", channel: str = "env:0") -> Outgoing:
    return Outgoing(channel, server, "warning", "firing", f"title {n}", f"body {n}")


def deliver_until(sender: OutboxSender, done: object, what: str) -> None:
    def step() -> bool:
        sender.deliver_due(datetime.now(UTC))
        return bool(done() if callable(done) else done)

    wait_for(step, what)


def test_a_channel_that_fails_twice_then_recovers_receives_every_message_once(
    engine: Engine,
) -> None:
    with http_sink(fail_next=2) as sink:
        sender = OutboxSender(engine, [sink.url], retry_seconds=0.05, retry_max_seconds=0.2)
        queue(engine, [message(1, "a"), message(2, "b"), message(3, "c")])
        deliver_until(sender, lambda: len(sink.messages()) >= 3, "three messages")
        assert sink.failed == 2
        assert sorted(m["title"] for m in sink.messages()) == ["title 1", "title 2", "title 3"]
        with Session(engine) as session:
            rows = list(session.scalars(select(NotificationOutbox)))
        assert all(r.sent_at is not None for r in rows)
        assert sum(r.attempts for r in rows) == 2


def test_a_servers_first_message_goes_at_once_and_the_burst_after_it_as_one(
    engine: Engine,
) -> None:
    with http_sink() as sink:
        sender = OutboxSender(engine, [sink.url])
        burst = [message(n) for n in range(1, 6)] + [message(6, "other")]
        queue(engine, burst, group_seconds=0.5)
        sender.deliver_due(datetime.now(UTC))
        # At once: the first message about each server, alone.
        assert sorted(m["title"] for m in sink.messages()) == ["title 1", "title 6"]
        deliver_until(sender, lambda: len(sink.messages()) >= 3, "the grouped message")
        grouped = sink.messages()[2]
        assert grouped["title"].startswith("4 alert changes on nas-1")
        assert all(f"body {n}" in grouped["message"] for n in range(2, 6))
        assert "body 1" not in grouped["message"]
        assert len(sink.messages()) == 3


def test_a_message_after_a_quiet_window_goes_at_once(engine: Engine) -> None:
    with http_sink() as sink:
        sender = OutboxSender(engine, [sink.url])
        start = datetime.now(UTC)
        with Session(engine) as session, session.begin():
            Enqueuer(session, start - timedelta(seconds=120), 30).add(message(1))
        assert sender.deliver_due(start) == 1
        with Session(engine) as session, session.begin():
            Enqueuer(session, start, 30).add(message(2))
        assert sender.deliver_due(start) == 1
        assert sorted(m["title"] for m in sink.messages()) == ["title 1", "title 2"]


def test_two_senders_on_one_database_send_each_message_once(db_url: str) -> None:
    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        with http_sink() as sink:
            queue(engines[0], [message(n, f"s{n}") for n in range(40)])
            senders = [OutboxSender(e, [sink.url]) for e in engines]
            stop = threading.Event()

            def loop(sender: OutboxSender) -> None:
                while not stop.is_set():
                    sender.deliver_due(datetime.now(UTC))

            threads = [threading.Thread(target=loop, args=(s,)) for s in senders]
            for thread in threads:
                thread.start()
            try:
                wait_for(lambda: len(sink.messages()) >= 40, "forty messages")
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
            titles = [m["title"] for m in sink.messages()]
            assert sorted(titles) == sorted(f"title {n}" for n in range(40))
    finally:
        for e in engines:
            e.dispose()


def test_a_message_for_a_removed_channel_is_dropped_not_sent(engine: Engine) -> None:
    with http_sink() as sink:
        sender = OutboxSender(engine, [sink.url])
        queue(engine, [message(1, channel="db:999")])
        sender.deliver_due(datetime.now(UTC))
        with Session(engine) as session:
            (row,) = session.scalars(select(NotificationOutbox))
        assert row.sent_at is not None
        assert row.last_error == "channel removed or switched off; not sent"
        assert sink.messages() == []


def test_a_message_following_the_first_waits_for_the_group_window(engine: Engine) -> None:
    with http_sink() as sink:
        sender = OutboxSender(engine, [sink.url])
        queue(engine, [message(1)], group_seconds=3600)
        assert sender.deliver_due(datetime.now(UTC)) == 1
        queue(engine, [message(2)], group_seconds=3600)
        assert sender.deliver_due(datetime.now(UTC)) == 0
        queue(engine, [message(3)], group_seconds=3600)
        assert sender.deliver_due(datetime.now(UTC) + timedelta(minutes=59)) == 0
        assert sender.deliver_due(datetime.now(UTC) + timedelta(hours=2)) == 2
        assert [m["title"] for m in sink.messages()] == [
            "title 1",
            "2 alert changes on nas-1: title 2",
        ]


def test_mail_goes_out_through_smtp(engine: Engine) -> None:
    with smtp_sink() as sink:
        sender = OutboxSender(engine, [sink.url], retry_seconds=0.1)
        queue(engine, [message(1)])
        deliver_until(sender, lambda: len(sink.received) >= 1, "one mail")
        (mail,) = sink.received
        assert mail["Subject"] == "title 1"
        assert mail["To"] == "ops@homelab.test"


def test_a_round_records_its_sends_and_its_retries_at_the_time_it_is_given(
    engine: Engine,
) -> None:
    at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    with http_sink(fail_next=1) as sink:
        sender = OutboxSender(engine, [sink.url], retry_seconds=30)
        queue(engine, [message(1)])
        assert sender.deliver_due(at) == 0
        with Session(engine) as session:
            (row,) = session.scalars(select(NotificationOutbox))
        assert (row.attempts, row.due_at, row.sent_at) == (1, at + timedelta(seconds=30), None)
        assert sender.deliver_due(at + timedelta(seconds=29)) == 0
        assert sender.deliver_due(at + timedelta(seconds=30)) == 1
        with Session(engine) as session:
            (row,) = session.scalars(select(NotificationOutbox))
        assert row.sent_at == at + timedelta(seconds=30)
        assert sender.prune(at + timedelta(days=7)) == 0
        assert sender.prune(at + timedelta(days=7, seconds=31)) == 1


def test_one_servers_backlog_does_not_delay_another_servers_first_message(
    engine: Engine,
) -> None:
    with http_sink() as sink:
        sender = OutboxSender(engine, [sink.url])
        with Session(engine) as session, session.begin():
            enqueuer = Enqueuer(session, datetime.now(UTC), 0, max_per_server=1000)
            for n in range(500):
                enqueuer.add(message(n, "flood"))
            enqueuer.add(message(999, "quiet"))

        sender.deliver_due(datetime.now(UTC))

        titles = [m["title"] for m in sink.messages()]
        assert "title 999" in titles  # in the first round, behind 500 older rows


def test_messages_past_a_servers_queue_budget_become_one_summary(engine: Engine) -> None:
    for _ in range(2):  # a second pass adds no second summary while the first is unsent
        with Session(engine) as session, session.begin():
            enqueuer = Enqueuer(session, datetime.now(UTC), 0, max_per_server=3)
            for n in range(10):
                enqueuer.add(message(n, "flood"))
            enqueuer.add(message(99, "quiet"))
            enqueuer.finish()

    with Session(engine) as session:
        rows = list(session.scalars(select(NotificationOutbox).order_by(NotificationOutbox.id)))
    flood = [r for r in rows if r.server_id == "flood"]
    assert [r.title for r in flood] == [
        "title 0",
        "title 1",
        "title 2",
        "7 more alert changes on flood not sent one by one",
    ]
    assert "HOMELAB_CMD_MAX_QUEUED_MESSAGES_PER_SERVER" in flood[-1].body
    assert [r.title for r in rows if r.server_id == "quiet"] == ["title 99", "title 99"]
