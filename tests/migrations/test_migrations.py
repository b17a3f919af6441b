"""Alembic owns the schema: one head, a clean round trip and no drift, on every engine."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from homelab_cmd.db.base import Base
from homelab_cmd.db.checks import check_migrations
from homelab_cmd.db.engine import make_engine

POSTGRES_URL = os.environ.get("HOMELAB_CMD_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/fresh.db"
        return
    assert POSTGRES_URL is not None
    schema = f"migration_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


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
