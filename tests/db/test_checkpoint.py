"""Background WAL checkpoints keep SQLite's log short without the writer's help."""

import time
from pathlib import Path

from sqlalchemy import Engine, text

from homelab_cmd.db.checkpoint import WalCheckpointer
from homelab_cmd.db.engine import make_engine


def _write_rows(engine: Engine, count: int) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (i INTEGER PRIMARY KEY, pad TEXT)"))
        conn.execute(
            text("INSERT INTO t (pad) VALUES (:pad)"), [{"pad": "x" * 500} for _ in range(count)]
        )


def test_a_commit_is_followed_by_a_checkpoint_of_the_whole_log(tmp_path: Path) -> None:
    database = tmp_path / "wal.db"
    engine = make_engine(f"sqlite:///{database}")
    checkpointer = WalCheckpointer(engine, interval_seconds=0.01)
    checkpointer.start()
    try:
        _write_rows(engine, 2000)
        # Committed pages wait in the -wal file until a checkpoint copies them over.
        before = database.stat().st_size
        assert before < 500_000

        checkpointer.committed()
        # Waits for the whole log to reach the file; the bound only stops a hung test.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and database.stat().st_size <= 1_000_000:
            time.sleep(0.01)

        assert database.stat().st_size > 1_000_000
    finally:
        checkpointer.stop()
        engine.dispose()


def test_checkpointer_does_nothing_on_other_engines(tmp_path: Path) -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")
    checkpointer = WalCheckpointer(engine)

    checkpointer.start()
    checkpointer.committed()
    checkpointer.stop()

    assert checkpointer._thread is None
