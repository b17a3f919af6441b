"""Database and app fixtures shared by the hub tests.

Every test that uses `db_url`, `engine`, `app` or `client` runs on SQLite and, when
HOMELAB_CMD_TEST_POSTGRES_URL is set, on PostgreSQL too. The schema is built by the real
migrations once per session and engine; each test then gets empty tables. Rolling back a test
transaction cannot isolate tests here: the heartbeat writer commits on connections of its own.
"""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from homelab_cmd.config import Settings
from homelab_cmd.db.base import Base
from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from homelab_cmd.main import create_app
from tests.postgres import POSTGRES_URL, private_schema

API_KEY = "test-key-0123456789abcdef"
ENGINES = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_to_head(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    """A schema of its own for this test worker, migrated to head."""
    with private_schema("test") as url:
        engine = make_engine(url)
        upgrade_to_head(engine)
        engine.dispose()
        yield url


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database on each engine under test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "hub.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_base_url")
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        api_key=API_KEY,
        data_dir=tmp_path / "data",
        ui_dir=tmp_path / "no-ui",
        maintenance_interval_seconds=0,
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client of the real app (lifespan run), sending the right key."""
    with TestClient(app, headers={"X-API-Key": API_KEY}) as test_client:
        yield test_client
