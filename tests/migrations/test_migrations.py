"""Alembic owns the schema: one head, a clean round trip and no drift, on every engine."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from homelab_cmd.db.base import Base
from homelab_cmd.db.checks import check_migrations
from homelab_cmd.db.engine import make_engine
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
