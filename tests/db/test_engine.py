"""Engine construction: how much page cache each SQLite connection may hold."""

import sqlite3
from pathlib import Path

import pytest

from homelab_cmd.db.engine import (
    READ_CACHE_KIB,
    WRITER_CACHE_KIB,
    close_writer_connection,
    make_engine,
    shrink_writer_connection,
    writer_connection,
)


def _cache_kib(conn: object) -> int:
    # SQLite reports a cache size given in KiB as its negative.
    return -int(conn.exec_driver_sql("PRAGMA cache_size").scalar())  # type: ignore[attr-defined]


def test_pooled_connections_get_the_small_read_cache(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    with engine.connect() as first, engine.connect() as second:
        assert _cache_kib(first) == _cache_kib(second) == READ_CACHE_KIB
    engine.dispose()


def test_the_writer_connection_alone_gets_the_large_cache_and_keeps_it_to_itself(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    writer = writer_connection(engine)
    database_connection = writer.connection.dbapi_connection
    assert _cache_kib(writer) == WRITER_CACHE_KIB
    with engine.connect() as reader:
        assert _cache_kib(reader) == READ_CACHE_KIB
    close_writer_connection(writer)

    # Closed for good (and its cache freed), not handed on to the pool's readers.
    assert writer.closed
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        database_connection.execute("SELECT 1")  # type: ignore[union-attr]
    with engine.connect() as reader:
        assert _cache_kib(reader) == READ_CACHE_KIB
    engine.dispose()


def test_an_idle_writer_connection_gives_up_its_cache_and_keeps_working(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    writer = writer_connection(engine)
    with writer.begin():
        writer.exec_driver_sql("CREATE TABLE t (v TEXT)")
        writer.exec_driver_sql("INSERT INTO t VALUES ('x')")

    shrink_writer_connection(writer)

    # Its size setting stays (the cache refills as it is used); the connection still works.
    assert _cache_kib(writer) == WRITER_CACHE_KIB
    writer.commit()
    with writer.begin():
        assert writer.exec_driver_sql("SELECT v FROM t").scalar() == "x"
    close_writer_connection(writer)
    engine.dispose()
