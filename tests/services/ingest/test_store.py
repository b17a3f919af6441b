"""Storing a batch of heartbeats: samples and snapshots written together, in the batch's order."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select

from homelab_cmd.db.models import Filesystem, FilesystemSample, Server
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest.limits import Limits
from homelab_cmd.services.ingest.store import HeartbeatStore, StoredHeartbeat
from tests.factories import filesystem_payload, heartbeat_payload

NOW = datetime.now(UTC).replace(microsecond=0)


def _beat(at: datetime, *mounts: str, **extra: Any) -> HeartbeatRequest:
    filesystems = [filesystem_payload(mount_point=m, device=f"/dev/{m[-1]}") for m in mounts]
    return HeartbeatRequest.model_validate(
        heartbeat_payload(timestamp=at, filesystems=filesystems, **extra)
    )


def _samples(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Filesystem.mount_point, func.count())
            .join(FilesystemSample, FilesystemSample.filesystem_id == Filesystem.id)
            .group_by(Filesystem.mount_point)
        )
        return {mount: count for mount, count in rows}


def test_a_batch_keeps_the_newest_snapshot_and_the_last_received_seen_time(
    engine: Engine,
) -> None:
    store = HeartbeatStore()
    newer = _beat(NOW - timedelta(minutes=1), "/a", agent_version="2.0.0")
    older = _beat(NOW - timedelta(minutes=2), "/a", "/b", agent_version="1.0.0")
    with engine.begin() as conn, store.batched(conn):
        first = store.store(conn, newer, NOW - timedelta(seconds=2))
        second = store.store(conn, older, NOW - timedelta(seconds=1))
        again = store.store(conn, newer, NOW)  # a retry: stored once

    assert [first.duplicate, second.duplicate, again.duplicate] == [False, False, True]
    assert isinstance(again, StoredHeartbeat)
    with engine.connect() as conn:
        server = conn.execute(select(Server)).one()
    # The older heartbeat (stored second) did not overwrite the newer one's snapshot ...
    assert server.agent_version == "2.0.0"
    assert [fs["mount_point"] for fs in server.filesystems] == ["/a"]
    assert server.latest_heartbeat_at == NOW - timedelta(minutes=1)
    # ... and the retry, received last, left its time as the last contact.
    assert server.last_seen_at == NOW
    assert _samples(engine) == {"/a": 2, "/b": 1}


def test_filesystems_retired_within_a_batch_take_its_earlier_samples_with_them(
    engine: Engine,
) -> None:
    store = HeartbeatStore(Limits(filesystems_per_heartbeat=2, filesystems_per_server=2))
    with engine.begin() as conn, store.batched(conn):
        store.store(conn, _beat(NOW - timedelta(minutes=3), "/a", "/b"), NOW)
        # Two new ones: /a and /b, seen longest ago, go with the samples just stored for them.
        store.store(conn, _beat(NOW - timedelta(minutes=2), "/c", "/d"), NOW)
        store.store(conn, _beat(NOW - timedelta(minutes=1), "/c", "/d"), NOW)

    assert _samples(engine) == {"/c": 2, "/d": 2}
    # Reported again, a retired filesystem is a new row (its cached id went with the old one).
    with engine.begin() as conn:
        store.store(conn, _beat(NOW, "/a", "/c"), NOW)
    assert _samples(engine) == {"/a": 1, "/c": 3}


def test_last_seen_times_moved_earlier_in_a_batch_pick_the_filesystems_retired(
    engine: Engine,
) -> None:
    store = HeartbeatStore(Limits(filesystems_per_server=2))
    with engine.begin() as conn:
        store.store(conn, _beat(NOW - timedelta(hours=3), "/a", "/b"), NOW)
    with engine.begin() as conn, store.batched(conn):
        # /a seen again two hours later (its last-seen time moves with the batch's writes) ...
        store.store(conn, _beat(NOW - timedelta(hours=1), "/a"), NOW)
        # ... so when /c takes the server over its cap, /b is the one seen longest ago.
        store.store(conn, _beat(NOW, "/c"), NOW)

    with engine.connect() as conn:
        mounts = set(conn.scalars(select(Filesystem.mount_point)))
    assert mounts == {"/a", "/c"}


def test_a_new_device_in_a_batch_after_an_older_heartbeat_keeps_the_newest_last_seen(
    engine: Engine,
) -> None:
    """A host back after days with a replaced disk: its spooled heartbeats (old device) and its
    live one (new device) in one batch leave the row at the live heartbeat's time."""
    now = datetime.now(UTC).replace(microsecond=0)

    def beat(at: datetime, device: str) -> HeartbeatRequest:
        fs = {**filesystem_payload(), "mount_point": "/data", "device": device}
        return HeartbeatRequest.model_validate(
            heartbeat_payload(server_id="nas", timestamp=at, filesystems=[fs])
        )

    store = HeartbeatStore()
    with engine.begin() as conn:
        store.store(conn, beat(now - timedelta(days=3), "/dev/sda1"), now)
    with engine.begin() as conn, store.batched(conn, []):
        store.store(conn, beat(now - timedelta(days=2), "/dev/sda1"), now)
        store.store(conn, beat(now, "/dev/sdb1"), now)
    with engine.connect() as conn:
        seen, device = conn.execute(select(Filesystem.last_seen_at, Filesystem.device)).one()
    assert device == "/dev/sdb1"
    assert seen.replace(tzinfo=UTC) == now
