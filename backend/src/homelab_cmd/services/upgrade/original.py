"""Reading a HomelabCmd 1.x database: what the original hub stored, opened read-only.

The original (github.com/DarrenBenson/HomelabCmd) keeps SQLite by default, made by SQLAlchemy's
`create_all` with these tables among others: `servers` (id slug, guid, hostname, display_name,
OS fields, agent_version, last_seen, the latest `filesystems` as JSON), `metrics` (one row a
heartbeat, the seed's wire names), `metrics_hourly` / `metrics_daily` (cpu, memory and disk
min/avg/max with sample_count), `filesystem_metrics` (one row per filesystem a heartbeat) and
`agent_credentials` (the per-agent tokens of its install flow, SHA-256 hex, by server GUID).
Columns that came with later revisions (guid, display_name, filesystems) may be missing in an
old file, and every other table is left alone.
"""

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

SQLITE_HEADER = b"SQLite format 3\x00"
REQUIRED = {"servers": {"id", "hostname"}, "metrics": {"server_id", "timestamp"}}
# History kept elsewhere here, or not at all: named in the summary with their row counts.
NOT_IMPORTED = {
    "network_interface_metrics": "per-interface network history (not kept by this hub)",
    "alerts": "alert history (alerts here follow their own rules, docs/alerts.md)",
    "server_uptime_daily": "uptime per day",
    "service_status": "service status history",
}
# Columns of `servers` read when present (older files lack some: guid came with a later revision).
SERVER_COLUMNS = (
    "display_name", "guid", "agent_version", "os_distribution", "os_version", "kernel_version",
    "architecture", "filesystems", "created_at", "last_seen",
)  # fmt: skip


# A stored token hash: SHA-256 hex, as this hub stores its own (services/access/tokens.py).
SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class OriginalDatabaseError(Exception):
    """The file is not a HomelabCmd 1.x database this importer can read (nothing was written)."""


@dataclass(frozen=True)
class OriginalCredential:
    """An agent token of the original still in force: its hash and the server GUID it names."""

    server_guid: str
    token_hash: str
    prefix: str
    created_at: datetime | None


@dataclass(frozen=True)
class OriginalServer:
    id: str
    hostname: str
    display_name: str | None
    guid: str | None
    agent_version: str | None
    os_info: dict[str, str | None]
    filesystems: list[dict[str, Any]]
    created_at: datetime | None
    last_seen: datetime | None


def database_path(location: str) -> Path:
    """The file named by a path or a SQLite URL (`sqlite:///data/homelab.db`, as the original's
    HOMELAB_CMD_DATABASE_URL), refusing other databases."""
    if "://" not in location:
        return Path(location).expanduser()
    url = urlsplit(location)
    if not url.scheme.startswith("sqlite"):
        raise OriginalDatabaseError(
            f"{url.scheme}: only SQLite databases of HomelabCmd 1.x are read "
            "(give the file, or a sqlite:/// URL)"
        )
    # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy reads them.
    path = unquote(url.path)
    return Path(path[1:] if path.startswith("/") else path)


def parse_time(value: object) -> datetime | None:
    """A stored DATETIME (naive UTC text from SQLAlchemy, or ISO with an offset) as aware UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


class OriginalDatabase:
    """A HomelabCmd 1.x database, opened read-only and checked before anything is imported."""

    def __init__(self, location: str) -> None:
        self.path = database_path(location)
        if not self.path.is_file():
            raise OriginalDatabaseError(f"{self.path}: no such file")
        with self.path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise OriginalDatabaseError(f"{self.path}: not a SQLite database")
        # What the reader should know about the file (printed with the import's summary).
        self.warnings: list[str] = []
        self._db = self._connect()
        # Rows read by column name, whatever order the file's columns are in.
        setattr(self._db, "row_factory", sqlite3.Row)  # noqa: B010  (vulture sees no reader of it)
        try:
            self.columns = self._columns()
            self._check()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise OriginalDatabaseError(f"{self.path}: cannot be read: {exc}") from None
        except OriginalDatabaseError:
            self._db.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        """A read-only connection that sees the rows still in the write-ahead log: the original
        runs SQLite in WAL mode, so its last heartbeats may be in `<file>-wal` rather than the
        file. SQLite reads the log only where it can keep its index beside it (`<file>-shm`); in
        a read-only folder without one, the file alone is read and the reader is warned."""
        uri = self.path.resolve().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            wal = self.path.with_name(self.path.name + "-wal")
            if not (wal.is_file() and wal.stat().st_size > 0):
                raise OriginalDatabaseError(f"{self.path}: cannot be read: {exc}") from None
            self.warnings.append(
                f"{wal} holds rows not yet in {self.path.name} (the original's last heartbeats) "
                f"and could not be read ({exc}): only the file itself was imported. Import from "
                "a folder this user may write to, or a copy made by SQLite (docs/upgrading.md), "
                "then run the import again: it adds only what is missing"
            )
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)

    def close(self) -> None:
        self._db.close()

    def _columns(self) -> dict[str, set[str]]:
        tables = [
            row[0]
            for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {
            table: {row[1] for row in self._db.execute(f'PRAGMA table_info("{table}")')}
            for table in tables
        }

    def _check(self) -> None:
        if "server" in self.columns and "servers" not in self.columns:
            raise OriginalDatabaseError(
                f"{self.path}: this is a database of this hub (table `server`), not one of "
                "HomelabCmd 1.x (table `servers`)"
            )
        for table, needed in REQUIRED.items():
            missing = needed - self.columns.get(table, set())
            if missing:
                what = "table" if table not in self.columns else f"columns {sorted(missing)} of"
                raise OriginalDatabaseError(
                    f"{self.path}: not a HomelabCmd 1.x database (no {what} `{table}`)"
                )

    def _optional(self, table: str, column: str) -> str:
        return f'"{column}"' if column in self.columns[table] else f'NULL AS "{column}"'

    def servers(self) -> list[OriginalServer]:
        """Every server row, oldest id first."""
        picked = ", ".join(self._optional("servers", name) for name in SERVER_COLUMNS)
        rows = self._db.execute(f"SELECT id, hostname, {picked} FROM servers ORDER BY id")  # noqa: S608  (column names from the file's own schema)
        return [
            OriginalServer(
                id=str(row["id"]),
                hostname=str(row["hostname"] or row["id"]),
                display_name=row["display_name"],
                guid=row["guid"],
                agent_version=row["agent_version"],
                os_info={
                    "distribution": row["os_distribution"],
                    "version": row["os_version"],
                    "kernel": row["kernel_version"],
                    "architecture": row["architecture"],
                },
                filesystems=_json_list(row["filesystems"]),
                created_at=parse_time(row["created_at"]),
                last_seen=parse_time(row["last_seen"]),
            )
            for row in rows
        ]

    def rows(self, table: str, server_id: str, columns: tuple[str, ...]) -> Iterator[sqlite3.Row]:
        """`table`'s rows of one server, oldest first, with `columns` (NULL where missing)."""
        if table not in self.columns:
            return iter(())
        picked = ", ".join(self._optional(table, c) for c in ("timestamp", *columns))
        return self._db.execute(
            f'SELECT {picked} FROM "{table}" WHERE server_id = ? ORDER BY timestamp, rowid',  # noqa: S608  (names from this module and the file's schema)
            (server_id,),
        )

    def agent_credentials(self) -> list[OriginalCredential]:
        """The agents' own tokens not revoked, oldest first; legacy rows (agents on the shared
        key) hold no token of their own and are left out, as is a hash not in SHA-256 hex."""
        table = "agent_credentials"
        needed = {"server_guid", "api_token_hash", "revoked_at", "is_legacy"}
        if not needed <= self.columns.get(table, set()):
            return []
        picked = ", ".join(self._optional(table, c) for c in ("api_token_prefix", "created_at"))
        rows = self._db.execute(
            f"SELECT server_guid, api_token_hash, {picked} FROM {table} "  # noqa: S608  (names from this module and the file's schema)
            "WHERE revoked_at IS NULL AND NOT coalesce(is_legacy, 0) ORDER BY rowid"
        )
        return [
            OriginalCredential(
                server_guid=str(row["server_guid"]),
                token_hash=str(row["api_token_hash"]).lower(),
                prefix=str(row["api_token_prefix"] or "")[:20],
                created_at=parse_time(row["created_at"]),
            )
            for row in rows
            if row["server_guid"] and SHA256_HEX.fullmatch(str(row["api_token_hash"]).lower())
        ]

    def left_alone(self) -> dict[str, int]:
        """Tables with history this hub does not take, and how many rows each holds."""
        return {
            table: int(self._db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # noqa: S608  (a name from NOT_IMPORTED)
            for table in NOT_IMPORTED
            if table in self.columns
        }


def _json_list(value: object) -> list[dict[str, Any]]:
    if not value:
        return []
    try:
        loaded = json.loads(str(value))
    except ValueError:
        return []
    return [item for item in loaded if isinstance(item, dict)] if isinstance(loaded, list) else []
