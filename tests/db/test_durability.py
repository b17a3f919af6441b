"""A 2xx survives power loss: SQLite syncs the WAL on every commit unless told otherwise."""

from pathlib import Path

import pytest

from homelab_cmd.db.engine import make_engine

FULL, NORMAL = 2, 1


@pytest.mark.parametrize(("level", "expected"), [("FULL", FULL), ("NORMAL", NORMAL)])
def test_sqlite_connections_use_the_configured_synchronous_level(
    tmp_path: Path, level: str, expected: int
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}", level)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == expected
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_durable_commits_are_the_default(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == FULL
    engine.dispose()
