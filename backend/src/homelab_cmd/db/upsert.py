"""INSERT … ON CONFLICT DO NOTHING for the engines the hub supports."""

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect


def insert_ignore(table: Table, dialect: Dialect) -> Any:
    """An insert of `table` that skips rows whose key already exists."""
    if dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def insert_upsert(table: Table, dialect: Dialect, keys: list[str]) -> Any:
    """An insert of `table` that overwrites the non-key columns of an existing row."""
    module = postgresql if dialect.name == "postgresql" else sqlite
    stmt = module.insert(table)
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    return stmt.on_conflict_do_update(index_elements=keys, set_=updates)


def insert_or_lock(table: Table, dialect: Dialect, key: str) -> Any:
    """An insert of a key-only row that, when the row exists, updates it to itself.

    Unlike DO NOTHING, this takes the existing row's lock, so a transaction that deletes the row
    concurrently waits for the inserting one to commit.
    """
    module = postgresql if dialect.name == "postgresql" else sqlite
    stmt = module.insert(table)
    return stmt.on_conflict_do_update(index_elements=[key], set_={key: stmt.excluded[key]})
