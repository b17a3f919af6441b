"""Alembic owns the schema: one head, a clean round trip and no drift, on every engine."""

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, inspect, text

from homelab_cmd.db.base import Base
from homelab_cmd.db.checks import check_migrations
from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import alembic_config, upgrade_to_head
from tests.postgres import POSTGRES_URL, private_schema


@pytest.fixture(params=["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/fresh.db"
        return
    with private_schema("migration") as url:
        yield url


def test_migrations_have_one_head_round_trip_and_match_the_models(empty_db_url: str) -> None:
    assert check_migrations(empty_db_url) == []


def test_upgrade_from_empty_creates_every_model_table(empty_db_url: str) -> None:
    check_migrations(empty_db_url)

    engine = make_engine(empty_db_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_hubs_starting_together_migrate_once(empty_db_url: str) -> None:
    engines = [make_engine(empty_db_url) for _ in range(3)]
    errors: list[Exception] = []

    def start(engine: Engine) -> None:
        try:
            upgrade_to_head(engine)
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()

    assert errors == []
    assert check_migrations(empty_db_url) == []


def test_latest_metrics_snapshot_moves_to_bytes_and_back(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    config = alembic_config()
    wire = {"cpu_percent": 5.0, "memory_total_mb": 2048, "memory_used_mb": 1024,
            "disk_total_gb": 1.5, "disk_used_gb": None}  # fmt: skip
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "43a5407e00c8")
            conn.execute(
                text(
                    "INSERT INTO server (id, hostname, created_at, latest_metrics) "
                    "VALUES ('old', 'old', 0, :metrics)"
                ),
                {"metrics": json.dumps(wire)},
            )
            command.upgrade(config, "ef7c1a11a5d3")
            upgraded = _latest(conn)
            command.downgrade(config, "43a5407e00c8")
            downgraded = _latest(conn)
    finally:
        engine.dispose()

    assert upgraded == {"cpu_percent": 5.0, "memory_total_bytes": 2048 * 1024**2,
                        "memory_used_bytes": 1024**3, "disk_total_bytes": 3 * 1024**3 // 2,
                        "disk_used_bytes": None}  # fmt: skip
    assert downgraded == wire


def _latest(conn: Connection) -> object:
    stored = conn.execute(text("SELECT latest_metrics FROM server WHERE id = 'old'")).scalar_one()
    return json.loads(stored) if isinstance(stored, str) else stored


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's column compression")
def test_the_server_snapshot_is_compressed_with_lz4_on_postgresql_and_back() -> None:
    def methods(conn: Connection) -> dict[str, str]:
        rows = conn.execute(
            text(
                "SELECT attname, attcompression FROM pg_attribute "
                "WHERE attrelid = 'server'::regclass AND attname IN "
                "('filesystems', 'capacity_domains', 'collector_errors', 'os_info', "
                "'latest_metrics')"
            )
        )
        return {name: method for name, method in rows}

    config = alembic_config()
    with private_schema("compression") as url:
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
                upgraded = methods(conn)
                command.downgrade(config, "e5c58c47c3e1")
                downgraded = methods(conn)
        finally:
            engine.dispose()

    big = ("filesystems", "capacity_domains", "collector_errors", "os_info")
    assert upgraded == {**dict.fromkeys(big, "l"), "latest_metrics": ""}
    assert downgraded == dict.fromkeys((*big, "latest_metrics"), "")
