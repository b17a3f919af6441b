"""Upgrade the schema to head from inside the hub (and from tests)."""

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from homelab_cmd.db.locks import MIGRATION_LOCK_ID, advisory_xact_lock

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations."""
    config = Config(str(MIGRATIONS_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    # SQLite migrations are not transactional; hubs (or tests) starting together on one file
    # take turns through a lock file beside it, and the later ones find the schema at head.
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    path = Path(f"{database}.migrate-lock")
    handle = _locked(path)
    try:
        yield
    finally:
        # Removed while still held, so no empty file stays in the data folder. A hub that
        # opened it meanwhile finds, once it holds the lock, that the path names another file
        # (or none) and starts over on the one now there (`_locked`).
        path.unlink(missing_ok=True)
        handle.close()


def _locked(path: Path) -> IO[str]:
    """The lock file at `path`, open and exclusively locked: the one the path still names."""
    while True:
        handle = path.open("a")
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            if os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                return handle
        except FileNotFoundError:
            pass
        handle.close()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database at `engine` to the newest revision; a no-op when it is there."""
    config = alembic_config()
    with _sqlite_file_lock(engine), engine.begin() as connection:
        # Several hubs may start at once on one PostgreSQL: one migrates, the others wait and
        # then find the schema at head (DDL is transactional there; SQLite has the file lock).
        advisory_xact_lock(connection, MIGRATION_LOCK_ID)
        before = MigrationContext.configure(connection).get_current_revision()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        after = MigrationContext.configure(connection).get_current_revision()
    if before != after:
        log.info("database schema upgraded from %s to %s", before or "empty", after)
