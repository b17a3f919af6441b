"""Delivery from the outbox into real loopback sinks: retries, grouping, claims by two senders."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.models import NotificationOutbox
from homelab_cmd.services.notify import send as notify_send
from homelab_cmd.services.notify.outbox import (
    CLAIM_LEASE,
    Enqueuer,
    OutboxSender,
    Outgoing,
    queue_alone,
)
from tests.notify_sinks import http_sink, smtp_sink, wait_for


def queue(engine: Engine, messages: list[Outgoing], group_seconds: float = 0) -> None:
    with Session(engine) as session, session.begin():
        enqueuer = Enqueuer(session, datetime.now(UTC), group_seconds)
        for message in messages:
            enqueuer.add(message)


def message(
    n: int, server: str = "nas-1", channel: str = "env:0", event: str = "firing"
) -> Outgoing:
    return Outgoing(channel, server, "warning", event, f"title {n}", f"body {n}")


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


def test_past_a_channels_budget_repeats_are_dropped_and_counted_in_one_summary(
    engine: Engine,
) -> None:
    def pass_(messages: list[Outgoing]) -> None:
        with Session(engine) as session, session.begin():
            enqueuer = Enqueuer(
                session, datetime.now(UTC), 0, max_per_server=100, max_per_channel=5
            )
            for m in messages:
                enqueuer.add(m)
            enqueuer.finish()

    pass_([message(n, "flood", event="repeat") for n in range(8)] + [message(50, "quiet")])
    pass_(
        [message(n, "flood", event="resolved") for n in range(8, 12)]
        + [message(60, "other", "env:1")]
    )
    # Never dropped: a firing (a new alert or an escalation), flapping or settled message.
    for n, event in enumerate(("firing", "flapping", "settled"), start=70):
        with Session(engine) as session, session.begin():
            enqueuer = Enqueuer(session, now(), 0, max_per_server=100, max_per_channel=5)
            assert enqueuer.add(message(n, "flood", event=event))
    # A capacity report is never dropped, however full the channel.
    with Session(engine) as session, session.begin():
        queue_alone(session, [Outgoing("env:0", None, "info", "report", "weekly", "…")], now())

    with Session(engine) as session:
        rows = list(session.scalars(select(NotificationOutbox).order_by(NotificationOutbox.id)))
    env0 = [r.title for r in rows if r.channel_key == "env:0"]
    assert env0 == [
        *(f"title {n}" for n in range(5)),
        # Past the budget, a server with nothing queued still gets its first message in.
        "title 50",
        "7 more notifications were dropped while the queue was full; see the hub",
        "title 70",
        "title 71",
        "title 72",
        "weekly",
    ]
    summary = next(r for r in rows if r.event == "dropped")
    assert "HOMELAB_CMD_NOTIFY_MAX_QUEUED_PER_CHANNEL" in summary.body
    assert [r.title for r in rows if r.channel_key == "env:1"] == ["title 60"]

    # Once sent, the next overflow gets a summary of its own.
    with http_sink() as sink:
        sender = OutboxSender(engine, [sink.url, sink.url])
        deliver_until(sender, lambda: not unsent(engine), "the queue drained")
        pass_([message(n, "flood", event="repeat") for n in range(20, 28)])
        deliver_until(sender, lambda: not unsent(engine), "the queue drained again")
    dropped = [m["title"] for m in sink.messages() if "dropped" in m["title"]]
    assert dropped == [
        "7 more notifications were dropped while the queue was full; see the hub",
        "3 more notifications were dropped while the queue was full; see the hub",
    ]


def now() -> datetime:
    return datetime.now(UTC)


def unsent(engine: Engine) -> list[int]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(NotificationOutbox.id).where(NotificationOutbox.sent_at.is_(None))
            )
        )


def backlog(servers: int, each: int) -> list[Outgoing]:
    return [message(n * servers + s, f"s{s}") for n in range(each) for s in range(servers)]


def sent_titles(received: list[dict[str, object]]) -> list[str]:
    """Each queued row's title, from the messages received: a message of one row has its title,
    one of several lists each row's title and body in its body."""
    out: list[str] = []
    for m in received:
        body = str(m["message"])
        if "\n" in body:
            out.extend(line for line in body.splitlines() if line.startswith("title "))
        else:
            out.append(str(m["title"]))
    return out


def test_a_backlog_drains_into_a_loopback_sink_each_message_once(engine: Engine) -> None:
    with Session(engine) as session, session.begin():
        enqueuer = Enqueuer(session, now(), 0, max_per_server=10_000, max_per_channel=10_000)
        for m in backlog(servers=40, each=30):
            enqueuer.add(m)
    with http_sink() as sink:
        sender = OutboxSender(engine, [sink.url])
        delivered = 0

        def drained() -> bool:
            nonlocal delivered
            delivered += sender.deliver_due(now())
            return not unsent(engine)

        wait_for(drained, "the backlog drained")
        received = sink.messages()
    assert delivered == 1200
    assert sorted(sent_titles(received)) == sorted(f"title {n}" for n in range(1200))
    # A message per server and round (30 rows each fit one), not one per row.
    assert len(received) == 40


def test_two_senders_drain_a_backlog_sending_each_message_once(db_url: str) -> None:
    engines = [make_engine(db_url), make_engine(db_url)]
    try:
        with Session(engines[0]) as session, session.begin():
            enqueuer = Enqueuer(session, now(), 0, max_per_server=10_000, max_per_channel=10_000)
            for m in backlog(servers=60, each=10):
                enqueuer.add(m)
        with http_sink() as sink:
            senders = [OutboxSender(e, [sink.url]) for e in engines]
            stop = threading.Event()

            def loop(sender: OutboxSender) -> None:
                while not stop.is_set():
                    sender.deliver_due(now())

            threads = [threading.Thread(target=loop, args=(s,)) for s in senders]
            for thread in threads:
                thread.start()
            try:
                wait_for(lambda: not unsent(engines[0]), "the backlog drained")
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
            titles = sent_titles(sink.messages())
        assert sorted(titles) == sorted(f"title {n}" for n in range(600))
    finally:
        for e in engines:
            e.dispose()


def test_a_round_starts_no_send_past_half_the_lease_and_releases_the_rest(
    engine: Engine,
) -> None:
    """A slow channel cannot outlive the claim. Mail is sent one message at a time; the
    sender's clock is advanced by each send as a slow mail server would (no waiting here)."""
    queue(engine, [message(n, f"s{n}") for n in range(12)])
    clock = [0.0]
    with smtp_sink() as sink:

        def slow(url: str, title: str, body: str, kind: str, *, html: bool = False) -> str | None:
            clock[0] += CLAIM_LEASE.total_seconds() / 10  # the 5th send ends at half the lease
            return notify_send.send(url, title, body, kind, html=html)

        sender = OutboxSender(engine, [sink.url], send=slow, clock=lambda: clock[0])
        at = now()
        assert sender.deliver_due(at) == 5
        with Session(engine) as session:
            rows = list(session.scalars(select(NotificationOutbox)))
        assert sum(r.sent_at is not None for r in rows) == 5
        # The rest were never tried: free for the next round (no claim, no attempt, no error).
        rest = [r for r in rows if r.sent_at is None]
        assert len(rest) == 7
        assert {(r.claimed_until, r.attempts, r.last_error) for r in rest} == {(None, 0, None)}
        assert sender.deliver_due(at) == 5  # a fresh round, a fresh half lease
        assert len(sink.received) == 10
