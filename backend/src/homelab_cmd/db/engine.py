"""Engine construction: driver choice and per-connection SQLite pragmas."""

import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
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
    cursor.execute("PRAGMA cache_size=-65536")
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
        engine = create_engine(url, connect_args={"check_same_thread": False}, pool_size=8)
        event.listen(engine, "connect", lambda conn, _: _sqlite_pragmas(conn, synchronous))
        return engine
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
