"""The scrape collector reads live state: the writer's real queue and the snapshot as it is now."""

import asyncio

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.db.engine import make_session_factory
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest.writer import HeartbeatWriter
from homelab_cmd.services.prometheus.exposition import SnapshotCollector, firing_alert_counts
from tests.factories import heartbeat_payload, make_alert_objects, make_server


def _queue_depth(collector: SnapshotCollector) -> float | None:
    registry = CollectorRegistry()
    registry.register(collector)
    return registry.get_sample_value("homelab_hub_writer_queue_depth")


def test_queue_depth_is_the_number_of_heartbeats_waiting_for_the_writer(engine: Engine) -> None:
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300)
    collector = SnapshotCollector(make_session_factory(engine), 180, writer.queue_depth)
    heartbeats = [
        HeartbeatRequest.model_validate(heartbeat_payload(server_id=f"host-{i}")) for i in range(3)
    ]

    async def scenario() -> tuple[float | None, float | None, float | None]:
        idle = _queue_depth(collector)
        pending = [asyncio.ensure_future(writer.submit(h)) for h in heartbeats]
        await asyncio.sleep(0)  # every submit runs up to its wait: all three are queued
        queued = _queue_depth(collector)
        writer.start()
        await asyncio.gather(*pending)
        return idle, queued, _queue_depth(collector)

    try:
        idle, queued, drained = asyncio.run(scenario())
    finally:
        writer.stop()

    assert (idle, queued, drained) == (0, 3, 0)


def test_each_collect_reads_the_database_afresh(engine: Engine) -> None:
    collector = SnapshotCollector(make_session_factory(engine), 180, lambda: 0)
    registry = CollectorRegistry()
    registry.register(collector)
    before = registry.get_sample_value("homelab_server_up", {"server": "nas-1"})
    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300)
    writer.start()
    try:
        asyncio.run(writer.submit(HeartbeatRequest.model_validate(heartbeat_payload())))
    finally:
        writer.stop()

    after = registry.get_sample_value("homelab_server_up", {"server": "nas-1"})

    assert (before, after) == (None, 1)


def test_firing_alerts_are_counted_by_severity_and_kind(engine: Engine) -> None:
    make_server(engine, "quiet")
    make_alert_objects(engine, "quiet")
    with Session(engine) as session:
        counts = firing_alert_counts(session)
    assert counts == {("warning", "disk_used"): 1}
    registry = CollectorRegistry()
    registry.register(SnapshotCollector(make_session_factory(engine), 180, lambda: 0))
    labels = {"severity": "warning", "kind": "disk_used"}
    assert registry.get_sample_value("homelab_alerts_firing", labels) == 1
    zero = {"severity": "critical", "kind": "server_offline"}
    assert registry.get_sample_value("homelab_alerts_firing", zero) == 0
