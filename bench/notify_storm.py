"""Notification storm benchmark: draining a backlog, and what a flapping fleet queues.

Drain: 10,000 messages queued in the outbox for one channel (200 servers x 50, the per-server
and per-channel budgets lifted so all of them are there), delivered by `OutboxSender` through
Apprise's `json://` to a loopback HTTP sink in this process, as the hub's delivery thread does;
the time from the first round to an empty queue, the rows delivered and the messages the sink
received.

Storm: `--servers` servers whose disk swings between 97 % (critical) and 70 % (below every
clear level) on every heartbeat, one heartbeat a second each for `--minutes` minutes of
heartbeat time (stored through the ingest store, a pass over the fleet after each second's
heartbeats, hold and grouping at 0 so every swing is a change of state), then the queue
drained into the sink: messages queued, delivered, and the drain's time.

Runs in this process on a scratch SQLite database, so `PYTHONPATH=<a checkout>/backend/src`
measures another commit's outbox (what it lacks, such as flapping, is left out).
"""

import argparse
import inspect
import json
import sys
import tempfile
import threading
import time
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _sink import LoopbackSink
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from homelab_cmd.db.models import NotificationOutbox
from homelab_cmd.domain.alerts import Severity
from homelab_cmd.services.alerts.evaluation import AlertConfig, evaluate
from homelab_cmd.services.notify.channels import Target
from homelab_cmd.services.notify.outbox import Enqueuer, OutboxSender, Outgoing
from tests.factories import (
    GIB,
    alert_config,
    filesystem_payload,
    heartbeat_payload,
    store_heartbeats,
)


class Sink:
    """Counts the JSON posts it receives."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        self.loopback = LoopbackSink(self._received)
        self.url = self.loopback.url + "hook"

    def _received(self, _: dict[str, Any]) -> None:
        with self.lock:
            self.count += 1


def scratch_engine(folder: str, name: str) -> Engine:
    engine = make_engine(f"sqlite:///{folder}/{name}.db")
    upgrade_to_head(engine)
    return engine


def unsent(engine: Engine) -> int:
    with Session(engine) as session:
        query = select(func.count()).where(NotificationOutbox.sent_at.is_(None))
        return int(session.scalar(query.select_from(NotificationOutbox)) or 0)


def enqueuer(session: Session, now: datetime) -> Enqueuer:
    """An enqueuer with the budgets lifted (keyword-only budgets this commit may not have)."""
    extra = {}
    if "max_per_channel" in inspect.signature(Enqueuer).parameters:
        extra["max_per_channel"] = 1_000_000
    return Enqueuer(session, now, 0, 1_000_000, **extra)


def drain(engine: Engine, sink: Sink, now: datetime) -> tuple[float, int, int]:
    """Deliver until nothing is unsent: seconds, rows delivered, messages received."""
    sender = OutboxSender(engine, [sink.url])
    before = sink.count
    started = time.perf_counter()
    delivered = 0
    while unsent(engine):
        delivered += sender.deliver_due(now)
    return time.perf_counter() - started, delivered, sink.count - before


def bench_drain(folder: str, sink: Sink, rows: int, servers: int) -> dict[str, Any]:
    engine = scratch_engine(folder, "drain")
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        queue = enqueuer(session, now)
        for n in range(rows):
            server = f"srv-{n % servers:03d}"
            queue.add(Outgoing("env:0", server, "critical", "firing", f"[CRITICAL] {n}", "body"))
    seconds, delivered, messages = drain(engine, sink, now)
    engine.dispose()
    return {
        "queued": rows,
        "delivered": delivered,
        "messages": messages,
        "seconds": round(seconds, 2),
        "rows_per_second": round(delivered / seconds),
    }


def beat(server: str, at: datetime, percent: float) -> dict[str, Any]:
    disk = filesystem_payload(
        mount_point="/srv",
        total_bytes=100 * GIB,
        used_bytes=int(percent * GIB),
        available_bytes=int((100 - percent) * GIB),
    )
    return heartbeat_payload(
        server_id=server, hostname=server, timestamp=at, filesystems=[filesystem_payload(), disk]
    )


def bench_storm(folder: str, sink: Sink, servers: int, minutes: int) -> dict[str, Any]:
    engine = scratch_engine(folder, "storm")
    config = alert_config(
        hold_seconds=0, env_targets=(Target("env:0", sink.url, Severity.WARNING),)
    )
    names = [f"srv-{n:03d}" for n in range(servers)]
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=minutes + 1)
    seconds = minutes * 60
    started = time.perf_counter()
    for second in range(seconds):
        at = start + timedelta(seconds=second)
        percent = 97.0 if second % 2 == 0 else 70.0
        store_heartbeats(engine, [beat(name, at, percent) for name in names])
        evaluate(engine, config, at)
    storm_seconds = time.perf_counter() - started
    queued = unsent(engine)
    drain_seconds, delivered, messages = drain(engine, sink, start + timedelta(seconds=seconds))
    engine.dispose()
    return {
        "servers": servers,
        "minutes": minutes,
        "heartbeats": servers * seconds,
        "changes_of_state": servers * seconds,
        "flapping_detection": any(f.name == "flap" for f in fields(AlertConfig)),
        "queued": queued,
        "delivered": delivered,
        "messages": messages,
        "drain_seconds": round(drain_seconds, 2),
        "storm_seconds": round(storm_seconds, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--drain-servers", type=int, default=200)
    parser.add_argument("--servers", type=int, default=20)
    parser.add_argument("--minutes", type=int, default=5)
    args = parser.parse_args()
    sink = Sink()
    with tempfile.TemporaryDirectory(prefix="notify-storm-") as folder:
        result = {
            "drain": bench_drain(folder, sink, args.rows, args.drain_servers),
            "storm": bench_storm(folder, sink, args.servers, args.minutes),
        }
    sink.loopback.shutdown()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
