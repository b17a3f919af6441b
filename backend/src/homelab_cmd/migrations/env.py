"""Alembic environment: runs against the hub's configured database."""

from alembic import context
from sqlalchemy import Connection

from homelab_cmd.config import get_settings
from homelab_cmd.db import models  # noqa: F401  (registers every table on the metadata)
from homelab_cmd.db.base import Base
from homelab_cmd.db.engine import make_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use a connection handed over by the hub, or open one from settings."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run_migrations_online()
