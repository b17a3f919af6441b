"""Alembic owns the schema: one head, a clean round trip and no drift, on every engine."""

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from homelab_cmd.db.base import Base
from homelab_cmd.db.checks import check_migrations
from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
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
