"""Engine construction: driver choice and per-connection SQLite pragmas."""

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Pick the driver for a plain URL: `postgresql://` gets psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


SYNCHRONOUS = ("FULL", "NORMAL")
log = logging.getLogger(__name__)
# SQLite's page cache, per connection, in KiB. Pooled connections serve reads and the API's small
# writes: in WAL mode a connection's cache is dropped whenever another connection commits, so
# under ingest it only ever holds one transaction's pages, and a small one bounds what a read of
# many rows can pin. The heartbeat writer keeps one connection of its own whose cache holds the
# hot index pages between batches (its own commits keep it). Together at most
# WRITER_CACHE_KIB + (POOL_SIZE + MAX_OVERFLOW) * READ_CACHE_KIB: 32 + 18 * 2 = 68 MiB.
READ_CACHE_KIB = 2048
WRITER_CACHE_KIB = 32768
POOL_SIZE = 8
MAX_OVERFLOW = 10


def _private_database_file(path: Path) -> None:
    """The folder made 0700, the file made or kept 0600: it holds channel URLs and their secrets.

    SQLite creates the -wal and -shm files with the database file's own mode, so they are 0600
    too. A folder that already exists keeps its mode: the operator chose it.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        for file in (path, path.with_name(f"{path.name}-wal"), path.with_name(f"{path.name}-shm")):
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(0o600)
    except OSError as exc:
        log.warning("could not make %s private (mode 0600): %s", path, exc)


def _sqlite_pragmas(dbapi_connection: Any, synchronous: str) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL syncs the WAL on every commit, so a 2xx survives a power cut; NORMAL in WAL mode
    # survives a crash of the hub but may lose the last commits to a power cut.
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")
    # Checkpoints normally run in the background (db/checkpoint.py); this is the safety net.
    cursor.execute("PRAGMA wal_autocheckpoint=16384")
    cursor.close()


def make_engine(url: str, synchronous: str = "FULL") -> Engine:
    """An engine for `url`, with the data folder created for a SQLite file.

    `synchronous` is SQLite's durability level (FULL or NORMAL); PostgreSQL's own default
    (synchronous_commit=on, fsync=on) already makes a commit survive power loss.
    """
    if synchronous not in SYNCHRONOUS:
        raise ValueError(f"synchronous must be one of {SYNCHRONOUS}")
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_database_file(Path(parsed.database))
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            pool_size=POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
        )
        event.listen(engine, "connect", lambda conn, _: _sqlite_pragmas(conn, synchronous))
        return engine
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def writer_connection(engine: Engine) -> Connection:
    """A connection the caller keeps for its writes: on SQLite with the writer's larger cache.

    The caller releases it with `close_writer_connection`, and takes another after a failure
    that invalidated it.
    """
    conn = engine.connect()
    if conn.dialect.name == "sqlite":
        try:
            conn.exec_driver_sql(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
            conn.commit()  # the pragma's autobegun transaction: the writer begins its own
        except BaseException:
            # Not handed back to the pool: its cache size and transaction are unknown.
            with contextlib.suppress(Exception):
                close_writer_connection(conn)
            raise
    return conn


def shrink_writer_connection(conn: Connection) -> None:
    """Free the page cache of an idle writer connection (SQLite); it refills as needed."""
    if conn.dialect.name == "sqlite" and not conn.closed and not conn.in_transaction():
        conn.exec_driver_sql("PRAGMA shrink_memory")
        conn.commit()


def close_writer_connection(conn: Connection) -> None:
    """Close a writer connection for good: its cache is not handed on to the pool's readers."""
    if not conn.closed:
        conn.invalidate()
        conn.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
