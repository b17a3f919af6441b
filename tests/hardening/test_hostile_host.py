"""One hostile enrolled host against a real hub: its budgets hold, and the others do not pay.

The hostile host floods mounts, back-dates heartbeats, nests capacity domains and sends too
fast, while a normal server crosses 95 %: the normal server's message reaches a loopback sink,
and every refusal, count and grouping is checked. Speed and memory figures are bench/hostile.py's.
"""

import math
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.models import Alert, Filesystem, NotificationOutbox, Server, ServerMetric
from homelab_cmd.domain.access import Role
from tests.factories import GIB, filesystem_payload, heartbeat_payload, make_server, make_token
from tests.hub_process import API_KEY, HUB, running_hub
from tests.notify_sinks import http_sink, wait_for

pytestmark = pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed")
URL = "/api/v1/agents/heartbeat"
ADMIN = {"X-API-Key": API_KEY}
OPEN_ALERTS = 20
QUEUED = 20
BUDGET_ENV = {
    "HOMELAB_CMD_ALERT_HOLD_SECONDS": "0",
    "HOMELAB_CMD_NOTIFY_GROUP_SECONDS": "0",
    "HOMELAB_CMD_ALERT_EVALUATION_SECONDS": "1",
    "HOMELAB_CMD_MAX_OPEN_ALERTS_PER_SERVER": str(OPEN_ALERTS),
    "HOMELAB_CMD_MAX_QUEUED_MESSAGES_PER_SERVER": str(QUEUED),
    "HOMELAB_CMD_MAX_FILESYSTEMS_PER_HEARTBEAT": "500",
    "HOMELAB_CMD_MAX_FILESYSTEMS_PER_SERVER": "800",
}


@contextmanager
def _hub(tmp_path: Path, env: dict[str, str]) -> Iterator[tuple[str, Engine]]:
    data = tmp_path / "data"
    with running_hub(data, env) as (_, url):
        engine = make_engine(f"sqlite:///{data / 'homelab.db'}")
        try:
            yield url, engine
        finally:
            engine.dispose()


def _count(engine: Engine, model: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def _agent(engine: Engine, url: str, server_id: str) -> httpx.Client:
    make_server(engine, server_id)
    _, secret = make_token(engine, Role.AGENT, server_id)
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {secret}"}, timeout=120)


def _mounts(prefix: str, count: int) -> list[dict[str, Any]]:
    return [
        filesystem_payload(mount_point=f"/{prefix}/{i:05d}", device=f"/dev/{prefix}{i}")
        for i in range(count)
    ]


def _evil(**overrides: Any) -> dict[str, Any]:
    return heartbeat_payload(server_id="evil", hostname="evil", **overrides)


def _deep_chain(depth: int) -> list[dict[str, Any]]:
    keys = [f"zfs:tank{'/d' * i}" for i in range(depth)]
    return [
        {"key": k, "kind": "zfs_dataset", "parent": keys[i - 1] if i else None}
        for i, k in enumerate(keys)
    ]


def test_a_hostile_host_is_held_to_its_budgets_while_another_servers_alert_goes_out(
    tmp_path: Path,
) -> None:
    with http_sink() as sink:
        env = {**BUDGET_ENV, "HOMELAB_CMD_NOTIFY_URLS": sink.url}
        with _hub(tmp_path, env) as (url, engine), _agent(engine, url, "evil") as evil:
            start = datetime.now(UTC) - timedelta(minutes=30)
            # A flood of mounts: three heartbeats of 500 new mounts each, then two without
            # (a minute apart: replays closer than REPLAY_SPACING_SECONDS are refused).
            for i in range(3):
                payload = _evil(
                    timestamp=start + timedelta(minutes=i),
                    filesystems=_mounts(f"flood{i}", 500),
                )
                evil.post(URL, json=payload).raise_for_status()
            for i in (3, 4):
                payload = _evil(
                    timestamp=start + timedelta(minutes=i),
                    filesystems=[filesystem_payload()],
                )
                evil.post(URL, json=payload).raise_for_status()
            back_dated = evil.post(
                URL,
                json=heartbeat_payload(
                    server_id="evil", timestamp=datetime(1999, 1, 1, tzinfo=UTC)
                ),
            )
            deep = evil.post(
                URL,
                json=_evil(capacity_domains=_deep_chain(200)),
            )

            # Stamped from one instant: racing threads never send two in the same second (the
            # second one would be a stored-once duplicate, answered 200 but not a new row).
            live_from = datetime.now(UTC).replace(microsecond=0)

            def live(second: int) -> int:
                at = live_from - timedelta(seconds=second)
                return evil.post(URL, json=_evil(timestamp=at)).status_code

            began = time.monotonic()
            with ThreadPoolExecutor(4) as pool:
                rates = list(pool.map(live, range(1, 41)))
            # The bucket refills 12 a minute while the 40 are sent: a slow machine earns a few.
            refilled = math.ceil((time.monotonic() - began) * 12 / 60)

            # Meanwhile a normal server crosses 95 %.
            full = filesystem_payload(
                mount_point="/data",
                total_bytes=100 * GIB,
                used_bytes=96 * GIB,
                available_bytes=4 * GIB,
            )
            sent = time.monotonic()
            with httpx.Client(base_url=url, headers=ADMIN, timeout=120) as admin:
                admin.post(
                    URL,
                    json=heartbeat_payload(server_id="calm", hostname="calm", filesystems=[full]),
                ).raise_for_status()
                wait_for(
                    lambda: any("calm" in m["title"] for m in sink.messages()),
                    "the calm server's alert at the sink",
                )
                latency = time.monotonic() - sent
                evil_row = admin.get("/api/v1/servers/evil").json()
                fleet = admin.get("/api/v1/servers")
            wait_for(
                lambda: (
                    _count(engine, Alert, Alert.server_id == "evil", Alert.mount_point.is_(None))
                    > 0
                ),
                "the hostile host's grouped alert",
            )
            with engine.connect() as conn:
                grouped = conn.scalar(
                    select(Alert.message).where(
                        Alert.server_id == "evil", Alert.mount_point.is_(None)
                    )
                )
            open_alerts = _count(
                engine, Alert, Alert.server_id == "evil", Alert.open_key.is_not(None)
            )
            filesystems = _count(engine, Filesystem, Filesystem.server_id == "evil")
            queued = _count(engine, NotificationOutbox, NotificationOutbox.server_id == "evil")
            unsent = _count(
                engine,
                NotificationOutbox,
                NotificationOutbox.server_id == "evil",
                NotificationOutbox.sent_at.is_(None),
            )
            stored = _count(engine, ServerMetric, ServerMetric.server_id == "evil")

    print(
        f"calm server's alert after {latency:.2f} s; hostile: {filesystems} filesystems, "
        f"{open_alerts} open alerts, {queued} messages queued, {rates.count(429)} of 40 live "
        "heartbeats refused"
    )
    assert back_dated.status_code == 422
    assert "MAX_HEARTBEAT_AGE_DAYS" in back_dated.json()["detail"]
    assert deep.status_code == 422
    assert "MAX_CAPACITY_DOMAIN_DEPTH" in deep.json()["detail"]
    # The default live budget: a burst of 12, then the refill.
    assert 12 <= rates.count(200) <= 12 + refilled
    assert rates.count(200) + rates.count(429) == 40
    assert stored == 5 + rates.count(200)  # the flood and the live heartbeats granted, no other
    assert filesystems <= 800
    assert open_alerts <= OPEN_ALERTS + 1  # the mounts admitted and one grouped alert
    assert grouped is not None and "more mounts vanished on evil" in grouped
    # The cap is on what a channel holds unsent (and one summary past it). The sink takes
    # messages while the flood goes on, so each one sent makes room for another: all the
    # hostile host ever queued stays within twice the cap.
    assert unsent <= QUEUED + 1
    assert queued <= 2 * (QUEUED + 1)
    assert evil_row["budget_warning"] is not None
    assert fleet.status_code == 200
    assert {s["id"] for s in fleet.json()["data"]} == {"evil", "calm"}


def test_back_dated_heartbeats_cannot_buy_more_history_than_one_each_replay_spacing(
    tmp_path: Path,
) -> None:
    flood_size, spool_size = 600, 100
    with (
        _hub(tmp_path, {}) as (url, engine),
        _agent(engine, url, "evil") as evil,
        _agent(engine, url, "nas") as nas,
    ):
        # Each stamped just past REPLAY_AFTER_SECONDS, a second apart: the replay budget's
        # whole minute (600) at a fresh instant each, were it not for the spacing.
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=301 + flood_size)

        def flood(second: int) -> int:
            at = start + timedelta(seconds=second)
            return evil.post(URL, json=_evil(timestamp=at)).status_code

        with ThreadPoolExecutor(4) as pool:
            statuses = list(pool.map(flood, range(flood_size)))
        with engine.connect() as conn:
            first = conn.scalar(
                select(func.min(ServerMetric.sampled_at)).where(ServerMetric.server_id == "evil")
            )
        assert first is not None
        refused = evil.post(URL, json=_evil(timestamp=first + timedelta(seconds=1)))
        # A real agent's spool after an outage of 100 minutes, a heartbeat a minute, replayed.
        outage = datetime.now(UTC) - timedelta(hours=3)
        spool = [
            nas.post(
                URL,
                json=heartbeat_payload(
                    server_id="nas", timestamp=outage + timedelta(seconds=60 * i + i % 4)
                ),
            ).status_code
            for i in range(spool_size)
        ]
        flooded = _count(engine, ServerMetric, ServerMetric.server_id == "evil")
        replayed = _count(engine, ServerMetric, ServerMetric.server_id == "nas")

    print(f"back-dated flood: {flooded} of {flood_size} stored over {flood_size} s of timestamps")
    assert set(statuses) <= {200, 422}
    # Stored ones lie at least 30 s apart, and each refused one within 30 s of a stored one.
    assert flood_size // 60 <= flooded <= flood_size // 30 + 1
    assert statuses.count(200) == flooded
    assert refused.status_code == 422
    assert refused.json()["error"] == "ReplayTooClose"
    assert "HOMELAB_CMD_REPLAY_SPACING_SECONDS" in refused.json()["detail"]
    assert spool == [200] * spool_size
    assert replayed == spool_size


def test_deleting_a_server_wins_against_its_heartbeats_in_flight(tmp_path: Path) -> None:
    # Replays a second apart, as many as the senders manage: no replay budget or spacing.
    env = {
        "HOMELAB_CMD_MAX_REPLAY_HEARTBEATS_PER_MINUTE": "100000",
        "HOMELAB_CMD_REPLAY_SPACING_SECONDS": "0",
    }
    with _hub(tmp_path, env) as (url, engine), _agent(engine, url, "doomed") as agent:
        start = datetime.now(UTC) - timedelta(days=1)
        agent.post(
            URL, json=heartbeat_payload(server_id="doomed", timestamp=start)
        ).raise_for_status()
        statuses: list[int] = []
        lock = threading.Lock()
        stop = threading.Event()
        counter = iter(range(1, 1_000_000))

        def send() -> None:
            while not stop.is_set():
                with lock:
                    second = next(counter)
                at = start + timedelta(seconds=second)
                code = agent.post(
                    URL, json=heartbeat_payload(server_id="doomed", timestamp=at)
                ).status_code
                with lock:
                    statuses.append(code)
                if code == 401:
                    return

        senders = [threading.Thread(target=send) for _ in range(8)]
        for thread in senders:
            thread.start()
        wait_for(lambda: len(statuses) >= 40, "heartbeats in flight")
        with httpx.Client(base_url=url, headers=ADMIN, timeout=120) as admin:
            assert admin.delete("/api/v1/servers/doomed").status_code == 204
            for thread in senders:
                thread.join(timeout=120)
            stop.set()
            after = admin.get("/api/v1/servers/doomed").status_code

        assert set(statuses) <= {200, 401}
        assert 401 in statuses
        assert after == 404
        assert _count(engine, Server, Server.id == "doomed") == 0
        assert _count(engine, ServerMetric, ServerMetric.server_id == "doomed") == 0
