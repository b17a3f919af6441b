"""Filesystem rows found by mount point, remembered per server between heartbeats: samples land
on their own mount's row whatever the order, and nothing remembered outlives its rows."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select

from homelab_cmd.db.models import Filesystem, FilesystemSample, Server
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest.store import HeartbeatStore
from tests.factories import filesystem_payload, heartbeat_payload

NOW = datetime.now(UTC).replace(microsecond=0)
GIB = 1024**3


def _beat(seconds_ago: int, **used_gib: int) -> HeartbeatRequest:
    filesystems = [
        filesystem_payload(
            mount_point=f"/{name}",
            device=f"/dev/{name}",
            total_bytes=100 * GIB,
            used_bytes=used * GIB,
            available_bytes=(100 - used) * GIB,
        )
        for name, used in used_gib.items()
    ]
    return HeartbeatRequest.model_validate(
        heartbeat_payload(timestamp=NOW - timedelta(seconds=seconds_ago), filesystems=filesystems)
    )


def _store(engine: Engine, store: HeartbeatStore, beat: HeartbeatRequest) -> None:
    with engine.begin() as conn:
        store.store(conn, beat, NOW)


def _used(engine: Engine) -> dict[str, list[int]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Filesystem.mount_point, FilesystemSample.used_bytes)
            .join(FilesystemSample, FilesystemSample.filesystem_id == Filesystem.id)
            .order_by(Filesystem.mount_point, FilesystemSample.sampled_at)
        )
        used: dict[str, list[int]] = {}
        for mount, value in rows:
            used.setdefault(mount, []).append(value // GIB)
        return used


def test_each_sample_lands_on_its_mount_whatever_the_order_and_set(engine: Engine) -> None:
    store = HeartbeatStore()
    _store(engine, store, _beat(50, a=1, b=2))
    _store(engine, store, _beat(40, a=3, b=4))  # the same mounts: remembered rows
    _store(engine, store, _beat(30, b=5, a=6))  # the same mounts, another order
    _store(engine, store, _beat(20, a=7, c=8))  # one replaced by another
    _store(engine, store, _beat(10, a=9, c=10))

    assert _used(engine) == {"/a": [1, 3, 6, 7, 9], "/b": [2, 4, 5], "/c": [8, 10]}


def test_a_deleted_server_comes_back_with_new_rows(engine: Engine) -> None:
    store = HeartbeatStore()
    _store(engine, store, _beat(30, a=1, b=2))
    _store(engine, store, _beat(20, a=3, b=4))
    with engine.begin() as conn:
        conn.execute(delete(Server))  # its filesystems and samples go with it
    store.forget_server("nas-1")

    _store(engine, store, _beat(10, a=5, b=6))

    assert _used(engine) == {"/a": [5], "/b": [6]}


def test_rows_of_a_rolled_back_batch_are_not_remembered(engine: Engine) -> None:
    store = HeartbeatStore()
    _store(engine, store, _beat(30, a=1))
    with engine.connect() as conn:
        transaction = conn.begin()
        store.store(conn, _beat(20, a=2, b=3), NOW)  # creates /b's row ...
        transaction.rollback()  # ... which the failed batch takes back
    store.forget_all()  # as the writer does after a failed batch

    _store(engine, store, _beat(10, a=4, b=5))

    assert _used(engine) == {"/a": [1, 4], "/b": [5]}
