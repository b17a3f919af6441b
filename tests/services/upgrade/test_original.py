"""Opening a HomelabCmd 1.x database: a path or a sqlite URL, read-only, checked first."""

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from homelab_cmd.services.upgrade.original import (
    OriginalDatabase,
    OriginalDatabaseError,
    database_path,
    parse_time,
)


@pytest.mark.parametrize(
    ("location", "path"),
    [
        ("data/homelab.db", Path("data/homelab.db")),
        ("sqlite:///./data/homelab.db", Path("./data/homelab.db")),
        ("sqlite+aiosqlite:////var/lib/homelab/homelab.db", Path("/var/lib/homelab/homelab.db")),
        ("sqlite:////srv/my%20data/homelab.db", Path("/srv/my data/homelab.db")),
    ],
)
def test_a_path_or_the_originals_database_url_names_the_file(location: str, path: Path) -> None:
    assert database_path(location) == path


def test_a_database_server_url_is_refused() -> None:
    with pytest.raises(OriginalDatabaseError, match="only SQLite"):
        database_path("postgresql://homelab@db/homelab")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-18 14:00:05.123456", "2026-01-18T14:00:05.123456+00:00"),
        ("2026-01-18T16:00:05+02:00", "2026-01-18T14:00:05+00:00"),
        ("not a time", None),
        (None, None),
    ],
)
def test_stored_times_are_read_as_utc(value: str | None, expected: str | None) -> None:
    at = parse_time(value)

    assert (at.isoformat() if at else None) == expected


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OriginalDatabaseError, match="no such file"):
        OriginalDatabase(str(tmp_path / "nothing.db"))


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "homelab.db"
    path.write_text("servers,metrics\n")

    with pytest.raises(OriginalDatabaseError, match="not a SQLite database"):
        OriginalDatabase(str(path))


def test_another_sqlite_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    before = path.read_bytes()

    with pytest.raises(OriginalDatabaseError, match=r"not a HomelabCmd 1\.x database"):
        OriginalDatabase(str(path))
    assert path.read_bytes() == before


def test_this_hubs_own_database_is_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "homelab.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE server (id VARCHAR(100) PRIMARY KEY, hostname TEXT)")

    with pytest.raises(OriginalDatabaseError, match="database of this hub"):
        OriginalDatabase(str(path))


def test_an_early_original_without_guid_or_snapshot_columns_is_read(tmp_path: Path) -> None:
    # The original's first revision (2e6e20f4bc94): no guid, no filesystems, no later tables.
    path = tmp_path / "homelab.db"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE servers (id VARCHAR(100) NOT NULL, hostname VARCHAR(255) NOT NULL, "
            "display_name VARCHAR(255), status VARCHAR(20) NOT NULL, last_seen DATETIME, "
            "created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, PRIMARY KEY (id));"
            "CREATE TABLE metrics (id INTEGER NOT NULL, server_id VARCHAR(100) NOT NULL, "
            "timestamp DATETIME NOT NULL, cpu_percent FLOAT, PRIMARY KEY (id));"
            "INSERT INTO servers VALUES ('nas', 'nas', NULL, 'online', NULL, "
            "'2026-01-18 18:58:12.000000', '2026-01-18 18:58:12.000000');"
        )

    original = OriginalDatabase(f"sqlite:///{path}")
    try:
        [server] = original.servers()
        rows = list(original.rows("filesystem_metrics", "nas", ("mount_point",)))
        left = original.left_alone()
    finally:
        original.close()

    assert (server.id, server.guid, server.filesystems) == ("nas", None, [])
    assert rows == []
    assert left == {}


def _with_rows_in_the_log(tmp_path: Path) -> Path:
    """The original's file and its `-wal` as a running (or killed) 1.x hub leaves them: a
    server added since the last checkpoint is only in the log. Copied while the writer is open,
    so closing it does not fold the log into the file."""
    from datetime import UTC, datetime

    from tests.fixtures import homelabcmd_v1

    live = tmp_path / "live" / "homelab.db"
    live.parent.mkdir()
    homelabcmd_v1.build(live, datetime.now(UTC))
    writer = sqlite3.connect(live)
    try:
        writer.execute("PRAGMA journal_mode=wal")
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.executescript(
            "CREATE TEMP TABLE late AS SELECT * FROM servers WHERE id = 'pihole';"
            "UPDATE late SET id = 'late-nas', guid = NULL, tailscale_hostname = NULL;"
            "INSERT INTO servers SELECT * FROM late;"
        )
        writer.commit()
        copy = tmp_path / "copy"
        copy.mkdir()
        for name in ("homelab.db", "homelab.db-wal"):
            (copy / name).write_bytes((live.parent / name).read_bytes())
    finally:
        writer.close()
    return copy / "homelab.db"


def test_rows_still_in_the_write_ahead_log_are_read(tmp_path: Path) -> None:
    path = _with_rows_in_the_log(tmp_path)
    assert path.with_name("homelab.db-wal").stat().st_size > 0

    db = OriginalDatabase(str(path))
    try:
        ids = [s.id for s in db.servers()]
    finally:
        db.close()

    assert "late-nas" in ids
    assert db.warnings == []


def test_a_log_that_cannot_be_read_is_warned_of_and_the_file_alone_is_read(
    tmp_path: Path,
) -> None:
    # A read-only folder without SQLite's index of the log (`-shm`): SQLite cannot read the log.
    # Root may write anywhere, so the folder is a read-only bind mount (root only, as CI runs).
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")
    path = _with_rows_in_the_log(tmp_path)
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    subprocess.run(["mount", "--bind", str(path.parent), str(readonly)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(readonly)], check=True)
        db = OriginalDatabase(str(readonly / "homelab.db"))
        try:
            ids = [s.id for s in db.servers()]
        finally:
            db.close()
    finally:
        subprocess.run(["umount", str(readonly)], check=True)

    assert "late-nas" not in ids and "pihole" in ids
    [warning] = db.warnings
    assert "homelab.db-wal holds rows not yet in homelab.db" in warning
    assert "could not be read" in warning
