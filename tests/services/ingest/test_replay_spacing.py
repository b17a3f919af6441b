"""Replays are kept apart: back-dating heartbeats cannot store more than the spacing allows."""

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import Engine, func, select

from homelab_cmd.db.models import Server, ServerMetric
from homelab_cmd.errors import ReplayTooClose
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest.limits import Limits
from homelab_cmd.services.ingest.store import HeartbeatStore, StoredHeartbeat
from homelab_cmd.services.ingest.writer import HeartbeatWriter
from tests.factories import heartbeat_payload

START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)


@pytest.fixture
def writer(engine: Engine) -> Iterator[HeartbeatWriter]:
    # A replay budget no test reaches: these tests are about the spacing alone.
    store = HeartbeatStore(Limits(replay_heartbeats_per_minute=100_000))
    hub = HeartbeatWriter(engine, max_clock_skew_seconds=300, store=store, deadline_seconds=120)
    hub.start()
    yield hub
    hub.stop()


def _at(at: datetime, server_id: str = "nas") -> HeartbeatRequest:
    return HeartbeatRequest.model_validate(heartbeat_payload(server_id=server_id, timestamp=at))


def _send(writer: HeartbeatWriter, instants: list[datetime]) -> list[object]:
    async def send() -> list[object]:
        return await asyncio.gather(
            *(writer.submit(_at(at)) for at in instants), return_exceptions=True
        )

    return asyncio.run(send())


def _stored(engine: Engine) -> list[datetime]:
    with engine.connect() as conn:
        return list(conn.scalars(select(ServerMetric.sampled_at).order_by("sampled_at")))


def test_back_dated_heartbeats_a_second_apart_are_stored_one_per_spacing(
    writer: HeartbeatWriter, engine: Engine
) -> None:
    flood = [START + timedelta(seconds=s) for s in range(600)]  # ten minutes of timestamps

    results = _send(writer, flood)

    stored = _stored(engine)
    refused = [r for r in results if isinstance(r, ReplayTooClose)]
    assert len(stored) == 20  # one each 30 s of the ten minutes
    assert all(b - a >= timedelta(seconds=30) for a, b in pairwise(stored))
    assert len(refused) == 580
    assert "HOMELAB_CMD_REPLAY_SPACING_SECONDS" in refused[0].detail
    assert "1 s from one already stored" in refused[0].detail


def test_a_spool_replayed_at_sixty_second_spacing_is_stored_whole(
    writer: HeartbeatWriter, engine: Engine
) -> None:
    # Collection jitter of a few seconds either way, as a real agent's timestamps have.
    spool = [START + timedelta(seconds=60 * i + (i % 5) * 3) for i in range(100)]

    results = _send(writer, spool)

    assert all(isinstance(r, StoredHeartbeat) and not r.duplicate for r in results)
    assert len(_stored(engine)) == 100


def test_a_replay_of_a_stored_instant_stays_a_harmless_duplicate(
    writer: HeartbeatWriter, engine: Engine
) -> None:
    # Stored ten seconds apart (sent live, their answers lost), then replayed from the spool.
    earlier = HeartbeatWriter(
        engine,
        max_clock_skew_seconds=300,
        store=HeartbeatStore(Limits(replay_spacing_seconds=0)),
        deadline_seconds=120,
    )
    earlier.start()
    try:
        _send(earlier, [START, START + timedelta(seconds=10)])
    finally:
        earlier.stop()

    again = _send(writer, [START, START + timedelta(seconds=10)])

    assert all(isinstance(r, StoredHeartbeat) and r.duplicate for r in again)
    assert len(_stored(engine)) == 2


def test_live_heartbeats_are_not_held_to_the_replay_spacing(
    writer: HeartbeatWriter, engine: Engine
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)

    results = _send(writer, [now - timedelta(seconds=20), now - timedelta(seconds=10)])

    assert all(isinstance(r, StoredHeartbeat) for r in results)
    assert len(_stored(engine)) == 2


def test_a_refused_replay_is_noted_on_the_servers_page(
    writer: HeartbeatWriter, engine: Engine
) -> None:
    _send(writer, [START, START + timedelta(seconds=5)])
    # The note is written after its batch: once a later heartbeat is answered, it is there.
    _send(writer, [START + timedelta(minutes=5)])

    with engine.connect() as conn:
        warning = conn.scalar(select(Server.budget_warning).where(Server.id == "nas"))
    assert warning is not None and "REPLAY_SPACING_SECONDS" in warning


def test_the_spacing_can_be_switched_off(engine: Engine) -> None:
    store = HeartbeatStore(Limits(replay_spacing_seconds=0))
    hub = HeartbeatWriter(engine, max_clock_skew_seconds=300, store=store, deadline_seconds=120)
    hub.start()
    try:
        _send(hub, [START + timedelta(seconds=s) for s in range(10)])
    finally:
        hub.stop()

    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(ServerMetric)) == 10
