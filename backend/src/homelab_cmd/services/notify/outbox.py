"""The outbox: messages queued with the alert change behind them, claimed, sent and retried.

Several hubs may share one PostgreSQL database: a hub claims due rows with
`FOR UPDATE SKIP LOCKED` and a lease (`claimed_until`), so each message goes out once. On SQLite
the claim runs under the write lock (`BEGIN IMMEDIATE`). A channel that fails keeps its messages
queued with a growing back-off until they are delivered or its channel deleted. What a channel
holds is bounded: per server (past it, one summary per server) and per channel (past it,
repeats and resolves are dropped and one summary counts them; a firing, flapping or settled
message and a capacity report are never dropped).

A round claims up to `MAX_CLAIM` rows, sends one message per channel and server (different
servers' messages at once, a few at a time per URL) and records outcomes as they come, a few
dozen rows a commit. It starts no send once half the claim's lease has passed and releases the
rows it did not send, so a slow channel never outlives the lease (another hub would send again).
"""

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import BindParameter, ColumnElement, Engine, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from homelab_cmd.db.locks import sqlite_write_lock
from homelab_cmd.db.models import NotificationOutbox
from homelab_cmd.services.notify import channels as notify_channels
from homelab_cmd.services.notify import send as notify_send

log = logging.getLogger(__name__)
OUTBOX = NotificationOutbox
# A claim outlives any send (Apprise's own timeouts are seconds); a hub that died mid-send
# releases its rows when the lease ends.
CLAIM_LEASE = timedelta(minutes=5)
# Outcomes are recorded once this many rows are done (or `RECORD_SECONDS` passed), not all at
# the end of the round: what was sent stays sent should the hub stop mid-round.
RECORD_ROWS = 50
RECORD_SECONDS = 10.0
# Rows a round claims, and at most this many of one channel and server: one message each.
MAX_CLAIM = 2000
MAX_PER_MESSAGE = 50
# Sends at once over all channels; per URL, `send.parallel_sends` (a few for webhooks, one
# where the Apprise plugin asks for time between requests: mail, ntfy, Telegram, Slack).
MAX_SENDERS = 16
# Ids per UPDATE ... IN (...), well inside every engine's bound-parameter limit.
ID_CHUNK = 500
KEEP_SENT = timedelta(days=7)
# Unsent messages one channel holds about one server before the rest become one summary.
MAX_QUEUED_PER_SERVER = 100
SUMMARY_EVENT = "summary"
# Unsent messages one channel holds in all; past it, alert messages are dropped and counted in
# one summary of this event (reports still go in).
MAX_QUEUED_PER_CHANNEL = 500
DROPPED_EVENT = "dropped"
# The only messages the channel's budget drops: a later repeat or the hub's alert list says the
# same. A firing (escalation included), flapping or settled message and a report always go in.
DROPPABLE_EVENTS = frozenset({"repeat", "resolved"})
# Messages about no alert (the capacity report, docs/reports.md): each sent alone, never merged
# into a group. A `report-html` body is HTML already (escaped where it was written), for
# channels that show tables (e-mail); a `report` body is plain text, escaped at send like any.
REPORT_EVENT = "report"
REPORT_HTML_EVENT = "report-html"
REPORT_EVENTS = (REPORT_EVENT, REPORT_HTML_EVENT)


class Sender(Protocol):
    def __call__(
        self, url: str, title: str, body: str, kind: str, *, html: bool = False
    ) -> str | None: ...


@dataclass(frozen=True)
class Outgoing:
    """One message to queue for one channel."""

    channel_key: str
    server_id: str | None
    severity: str
    event: str
    title: str
    body: str


class Enqueuer:
    """Queues messages inside the caller's session, grouped per channel and server.

    A server's first message is due at once; the ones that follow within the grouping window
    wait and go out together one window after it (a burst of five disks: one message now, one
    grouped message after), so a channel hears about a server at most once per window.

    A channel holds at most `max_per_server` unsent messages about one server; past that,
    `finish` queues one summary instead of the rest (and none while one is still unsent). And it
    holds at most `max_per_channel` unsent messages in all; past that, messages about servers it
    already holds messages about are dropped if they are repeats or resolves (`DROPPABLE_EVENTS`)
    and `finish` counts them in one summary (a waiting one is updated rather than another queued).
    """

    def __init__(
        self,
        session: Session,
        now: datetime,
        group_seconds: float,
        max_per_server: int = MAX_QUEUED_PER_SERVER,
        *,
        max_per_channel: int = MAX_QUEUED_PER_CHANNEL,
    ) -> None:
        self._session = session
        self._now = now
        self._window = timedelta(seconds=group_seconds)
        self._last: dict[tuple[str, str | None], datetime] | None = None
        self._max = max_per_server
        self._max_channel = max_per_channel
        self._queued: dict[tuple[str, str | None], int] | None = None
        self._per_channel: dict[str, int] = defaultdict(int)
        self._over: dict[tuple[str, str], int] = defaultdict(int)
        self._dropped: dict[str, int] = defaultdict(int)
        self.count = 0

    def _queued_counts(self) -> dict[tuple[str, str | None], int]:
        """Unsent messages per channel and server, read once per pass (and per channel)."""
        if self._queued is None:
            query = (
                select(OUTBOX.channel_key, OUTBOX.server_id, func.count())
                .where(OUTBOX.sent_at.is_(None))
                .group_by(OUTBOX.channel_key, OUTBOX.server_id)
            )
            self._queued = {(k, s): n for k, s, n in self._session.execute(query)}
            for (channel_key, _), n in self._queued.items():
                self._per_channel[channel_key] += n
        return self._queued

    def _last_slots(self) -> dict[tuple[str, str | None], datetime]:
        """Per channel and server, the latest due time of a first-try message in the window.

        Retried rows (attempts > 0) have their due time moved by the back-off: not a slot.
        """
        if self._last is None:
            query = (
                select(OUTBOX.channel_key, OUTBOX.server_id, func.max(OUTBOX.due_at))
                .where(OUTBOX.attempts == 0, OUTBOX.due_at > self._now - self._window)
                .group_by(OUTBOX.channel_key, OUTBOX.server_id)
            )
            self._last = {(k, s): due for k, s, due in self._session.execute(query)}
        return self._last

    def _due_at(self, key: tuple[str, str | None]) -> datetime:
        slots = self._last_slots()
        last = slots.get(key)
        if last is None or self._window <= timedelta(0):
            due = self._now  # the first message about this server in the window: at once
        elif last > self._now:
            due = last  # a group still waiting: join it
        else:
            due = last + self._window  # one went out lately: the next waits one window after it
        slots[key] = due
        return due

    def add(self, message: Outgoing) -> bool:
        """Queue it; False when the channel's cap refused it: the caller does not count it told,
        so the next pass tries again. Past the server's budget it is counted in the server's
        summary instead, which tells it (True)."""
        key = (message.channel_key, message.server_id)
        queued = self._queued_counts()
        # Past the channel's budget only repeats and resolves of a server already queued there
        # are dropped: a new alert, an escalation, a flapping or settled message still goes in,
        # and a flood from a few servers never silences another's first alert.
        if (
            self._per_channel[message.channel_key] >= self._max_channel
            and message.event in DROPPABLE_EVENTS
            and queued.get(key, 0)
        ):
            self._dropped[message.channel_key] += 1
            return False
        if message.server_id is not None:
            if queued.get(key, 0) >= self._max:
                # Past the server's own budget the message is counted in that server's summary,
                # which tells it: a pass trying again would only queue more summaries.
                self._over[(message.channel_key, message.server_id)] += 1
                return True
            queued[key] = queued.get(key, 0) + 1
        self._per_channel[message.channel_key] += 1
        self._add(message)
        return True

    def finish(self) -> None:
        """Queue one summary per channel and server for the messages past the server budget, and
        one per channel for those dropped past the channel's."""
        self._finish_servers()
        for channel_key, count in sorted(self._dropped.items()):
            self._count_dropped(channel_key, count)
        self._dropped.clear()

    def _count_dropped(self, channel_key: str, count: int) -> None:
        # A summary not yet claimed by a sender takes the new count; one being sent (or none)
        # means a new summary, so no drop goes uncounted.
        waiting = self._session.scalars(
            select(OUTBOX)
            .where(
                OUTBOX.sent_at.is_(None),
                OUTBOX.event == DROPPED_EVENT,
                OUTBOX.channel_key == channel_key,
                OUTBOX.claimed_until.is_(None) | (OUTBOX.claimed_until < self._now),
            )
            .order_by(OUTBOX.id)
            .limit(1)
        ).first()
        if waiting is not None:
            waiting.title, waiting.body = _dropped_text(
                _dropped_count(waiting.title) + count, self._max_channel
            )
            return
        title, body = _dropped_text(count, self._max_channel)
        self._add(Outgoing(channel_key, None, "warning", DROPPED_EVENT, title, body))

    def _finish_servers(self) -> None:
        for (channel_key, server_id), count in sorted(self._over.items()):
            pending = self._session.scalar(
                select(OUTBOX.id)
                .where(
                    OUTBOX.sent_at.is_(None),
                    OUTBOX.event == SUMMARY_EVENT,
                    OUTBOX.channel_key == channel_key,
                    OUTBOX.server_id == server_id,
                )
                .limit(1)
            )
            if pending is not None:
                continue  # the summary waiting to go out already says so
            if self._per_channel[channel_key] >= self._max_channel:
                self._dropped[channel_key] += count
                continue
            self._per_channel[channel_key] += 1
            self._add(
                Outgoing(
                    channel_key,
                    server_id,
                    "warning",
                    SUMMARY_EVENT,
                    f"{count} more alert changes on {server_id} not sent one by one",
                    f"This channel already holds {self._max} unsent messages about "
                    f"{server_id} (HOMELAB_CMD_MAX_QUEUED_MESSAGES_PER_SERVER); the hub's "
                    "alert list has every change.",
                )
            )
        self._over.clear()

    def _add(self, message: Outgoing) -> None:
        due = self._due_at((message.channel_key, message.server_id))
        self._session.add(
            NotificationOutbox(
                channel_key=message.channel_key,
                server_id=message.server_id,
                severity=message.severity,
                event=message.event,
                title=message.title,
                body=message.body,
                created_at=self._now,
                due_at=due,
                attempts=0,
            )
        )
        self.count += 1


def _dropped_text(count: int, most: int) -> tuple[str, str]:
    return (
        f"{count} more notifications were dropped while the queue was full; see the hub",
        f"This channel already held {most} unsent messages "
        "(HOMELAB_CMD_NOTIFY_MAX_QUEUED_PER_CHANNEL); the hub's alert list has every change.",
    )


def _dropped_count(title: str) -> int:
    """The count a waiting summary's title states (its first word, as `_dropped_text` puts it)."""
    first = title.split(" ", 1)[0]
    return int(first) if first.isdigit() else 0


def queue_alone(session: Session, messages: list[Outgoing], now: datetime) -> None:
    """Queue messages that join no server's group (a report): due at once, each sent alone."""
    session.add_all(
        NotificationOutbox(
            channel_key=m.channel_key,
            server_id=m.server_id,
            severity=m.severity,
            event=m.event,
            title=m.title,
            body=m.body,
            created_at=now,
            due_at=now,
            attempts=0,
        )
        for m in messages
    )


@dataclass(frozen=True)
class _Claimed:
    id: int
    channel_key: str
    server_id: str | None
    severity: str
    event: str
    title: str
    body: str
    attempts: int


# What a claim reads of each row: plain columns, not ORM objects nobody changes.
_CLAIMED_COLUMNS = (
    OUTBOX.id,
    OUTBOX.channel_key,
    OUTBOX.server_id,
    OUTBOX.severity,
    OUTBOX.event,
    OUTBOX.title,
    OUTBOX.body,
    OUTBOX.attempts,
)


def _backoff(attempts: int, first: float, most: float) -> timedelta:
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), most))


@dataclass(frozen=True)
class _Outcome:
    """What became of one group's send: sent, failed (`error`), or no channel any more."""

    rows: list[_Claimed]
    error: str | None
    gone: bool = False
    unsent: bool = False  # not tried: half the lease had passed; released for the next round


class OutboxSender:
    """Delivers due messages: one message per channel and server per round."""

    def __init__(
        self,
        engine: Engine,
        env_urls: list[str],
        *,
        retry_seconds: float = 10.0,
        retry_max_seconds: float = 600.0,
        send: Sender | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._env_urls = env_urls
        self._retry = (retry_seconds, retry_max_seconds)
        self._send = send or notify_send.send
        self._clock = clock
        # Kept from round to round: starting threads for every round cost more than its SQL.
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def close(self) -> None:
        """Let the sending threads go (a round under way finishes first)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def _senders(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=MAX_SENDERS, thread_name_prefix="notify"
                )
            return self._pool

    def any_due(self, now: datetime) -> bool:
        """A cheap look without the write lock, so an idle hub does not take it every second."""
        with self._engine.connect() as conn:
            return conn.execute(_ANY_DUE, {"now": now}).first() is not None

    def deliver_due(self, now: datetime) -> int:
        """Claim what is due, send it, record the outcome; the number of rows delivered."""
        claimed = self._claim(now)
        if not claimed:
            return 0
        groups: dict[tuple[str, str | None, int], list[_Claimed]] = defaultdict(list)
        for row in claimed:
            alone = row.id if row.event in REPORT_EVENTS else 0
            groups[(row.channel_key, row.server_id, alone)].append(row)
        with Session(self._engine) as session:
            urls = {
                key: notify_channels.url_of(session, key, self._env_urls)
                for key in {row.channel_key for row in claimed}
            }
        # Smallest groups first: a server's one new message is not sent after a backlog's.
        ordered = sorted(groups.values(), key=len)
        # No send starts past half the lease: one running then ends well before the lease does.
        stop_at = self._clock() + CLAIM_LEASE.total_seconds() / 2
        pending: list[_Outcome] = []
        delivered = 0
        last_record = self._clock()
        sends = [(urls[rows[0].channel_key], rows) for rows in ordered]
        for outcome in self._send_all(sends, stop_at):
            pending.append(outcome)
            if outcome.error is None and not outcome.gone and not outcome.unsent:
                delivered += len(outcome.rows)
            if (
                sum(len(o.rows) for o in pending) >= RECORD_ROWS
                or self._clock() - last_record >= RECORD_SECONDS
            ):
                self._record(pending, now)
                pending, last_record = [], self._clock()
        self._record(pending, now)
        return delivered

    def _claim(self, now: datetime) -> list[_Claimed]:
        """Claim due rows fairly: each channel and server's oldest first, then their second, …

        So one server's backlog of thousands never delays another server's first message, and
        a round takes at most `MAX_PER_MESSAGE` rows of one channel and server (one message).
        The ranking cannot take row locks (PostgreSQL refuses FOR UPDATE with a window), so
        the ranked ids are then locked, skipping those another hub holds, and checked again.
        """
        lock = self._engine.dialect.name == "postgresql"
        with self._engine.begin() as conn:
            sqlite_write_lock(conn)
            ids = list(conn.scalars(_FAIR, {"now": now}))
            if not ids:
                return []
            claimed: list[_Claimed] = []
            for chunk in _chunks(ids):
                query = _CLAIM_LOCKED if lock else _CLAIM
                rows = [_Claimed(*row) for row in conn.execute(query, {"ids": chunk, "now": now})]
                if not rows:
                    continue
                conn.execute(_LEASE, {"ids": [r.id for r in rows], "until": now + CLAIM_LEASE})
                claimed.extend(rows)
            return claimed

    def _send_all(
        self, groups: list[tuple[str | None, list[_Claimed]]], stop_at: float
    ) -> Iterable[_Outcome]:
        """Send each group's message, yielding outcomes as they come; different URLs at once,
        and a few at a time to one URL unless its plugin asks for time between requests. Each
        group is one message, so a server's messages still go out in order, one round after the
        other. Past `stop_at` no send starts: the group is yielded unsent."""
        sendable = [(url, rows) for url, rows in groups if url is not None]
        yield from (_Outcome(rows, None, gone=True) for url, rows in groups if url is None)
        if len(sendable) <= 1:
            yield from (self._send_group(url, rows, stop_at) for url, rows in sendable)
            return
        limits = {url: threading.Semaphore(notify_send.parallel_sends(url)) for url, _ in sendable}

        def task(url: str, rows: list[_Claimed]) -> _Outcome:
            with limits[url]:
                return self._send_group(url, rows, stop_at)

        pool = self._senders()
        futures = [pool.submit(task, url, rows) for url, rows in sendable]
        for future in as_completed(futures):
            yield future.result()

    def _send_group(self, url: str, rows: list[_Claimed], stop_at: float) -> _Outcome:
        if self._clock() >= stop_at:
            return _Outcome(rows, None, unsent=True)
        title, body, kind = _combined(rows)
        if rows[0].event in REPORT_EVENTS:
            kind = "info"
        try:
            error = self._send(url, title, body, kind, html=rows[0].event == REPORT_HTML_EVENT)
        except Exception as exc:  # a plugin's bug is this message's failure, not the round's
            log.exception("notification send raised")
            error = f"{type(exc).__name__}: {exc}"[:500]
        if error is not None:
            log.warning(
                "notification via %s failed (%s); retrying later", rows[0].channel_key, error
            )
        return _Outcome(rows, error)

    def _record(self, outcomes: list[_Outcome], now: datetime) -> None:
        """These outcomes in one commit: sent, dropped, due again after a back-off, or (not
        tried) released for the next round as they were."""
        if not outcomes:
            return
        sent = [
            r.id
            for o in outcomes
            if o.error is None and not o.gone and not o.unsent
            for r in o.rows
        ]
        gone = [r.id for o in outcomes if o.gone for r in o.rows]
        unsent = [r.id for o in outcomes if o.unsent for r in o.rows]
        with self._engine.begin() as conn:
            for chunk in _chunks(unsent):
                conn.execute(_RELEASE, {"ids": chunk})
            for ids, error in ((sent, None), (gone, "channel removed or switched off; not sent")):
                for chunk in _chunks(ids):
                    conn.execute(_SENT, {"ids": chunk, "sent": now, "error": error})
            for outcome in outcomes:
                if outcome.error is None or outcome.gone:
                    continue
                attempts = max(r.attempts for r in outcome.rows) + 1
                conn.execute(
                    _RETRY,
                    {
                        "ids": [r.id for r in outcome.rows],
                        "attempts": attempts,
                        "due": now + _backoff(attempts, *self._retry),
                        "error": outcome.error,
                    },
                )

    def prune(self, now: datetime) -> int:
        """Forget delivered messages after a week."""
        with self._engine.begin() as conn:
            result = conn.execute(delete(OUTBOX).where(OUTBOX.sent_at < now - KEEP_SENT))
            return int(result.rowcount or 0)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def _due() -> tuple[ColumnElement[bool], ...]:
    """Unsent, due by `:now`, and claimed by no sender (or its lease over)."""
    now: BindParameter[datetime] = bindparam("now")
    return (
        OUTBOX.sent_at.is_(None),
        OUTBOX.due_at <= now,
        (OUTBOX.claimed_until.is_(None)) | (OUTBOX.claimed_until < now),
    )


# The sender's statements, built once: a round of a few messages cost more in building its SQL
# than in running it.
def _ids() -> BindParameter[list[int]]:
    return bindparam("ids", expanding=True)


_ANY_DUE = select(OUTBOX.id).where(*_due()).limit(1)
_RANK = (
    func.row_number()
    .over(partition_by=(OUTBOX.channel_key, OUTBOX.server_id), order_by=OUTBOX.id)
    .label("rank")
)
_RANKED = select(OUTBOX.id, _RANK).where(*_due()).subquery()
_FAIR = (
    select(_RANKED.c.id)
    .where(_RANKED.c.rank <= MAX_PER_MESSAGE)
    .order_by(_RANKED.c.rank, _RANKED.c.id)
    .limit(MAX_CLAIM)
)
_CLAIM = select(*_CLAIMED_COLUMNS).where(OUTBOX.id.in_(_ids()), *_due()).order_by(OUTBOX.id)
_CLAIM_LOCKED = _CLAIM.with_for_update(skip_locked=True)
_LEASE = update(OUTBOX).where(OUTBOX.id.in_(_ids())).values(claimed_until=bindparam("until"))
_RELEASE = update(OUTBOX).where(OUTBOX.id.in_(_ids())).values(claimed_until=None)
_SENT = (
    update(OUTBOX)
    .where(OUTBOX.id.in_(_ids()))
    .values(sent_at=bindparam("sent"), claimed_until=None, last_error=bindparam("error"))
)
_RETRY = (
    update(OUTBOX)
    .where(OUTBOX.id.in_(_ids()))
    .values(
        attempts=bindparam("attempts"),
        due_at=bindparam("due"),
        claimed_until=None,
        last_error=bindparam("error"),
    )
)


def _combined(rows: list[_Claimed]) -> tuple[str, str, str]:
    """One message for a server's messages due together: the worst first."""
    ordered = sorted(rows, key=lambda r: (r.event == "resolved", r.severity != "critical", r.id))
    firing = {r.severity for r in rows if r.event != "resolved"}
    kind = next((s for s in ("critical", "warning") if s in firing), "resolved")
    if len(ordered) == 1:
        return ordered[0].title, ordered[0].body, kind
    server = ordered[0].server_id or "the hub"
    title = f"{len(ordered)} alert changes on {server}: {ordered[0].title}"
    body = "\n\n".join(f"{r.title}\n{r.body}" for r in ordered)
    return title, body, kind
