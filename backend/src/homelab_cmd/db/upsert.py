"""INSERT … ON CONFLICT for the engines the hub supports: the one place that picks the dialect."""

from typing import Any

from sqlalchemy import Select, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect


def _insert(table: Table, dialect: Dialect) -> Any:
    module: Any = postgresql if dialect.name == "postgresql" else sqlite
    return module.insert(table)


def insert_ignore(table: Table, dialect: Dialect) -> Any:
    """An insert of `table` that skips rows whose key already exists."""
    return _insert(table, dialect).on_conflict_do_nothing()


def insert_upsert(table: Table, dialect: Dialect, keys: list[str]) -> Any:
    """An insert of `table` that overwrites the non-key columns of an existing row."""
    stmt = _insert(table, dialect)
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    return stmt.on_conflict_do_update(index_elements=keys, set_=updates)


def upsert_from_select(table: Table, dialect: Dialect, query: Select[Any], keys: list[str]) -> Any:
    """INSERT … SELECT into `table` that overwrites the non-key columns of existing rows."""
    names = [c.name for c in query.selected_columns]
    stmt = _insert(table, dialect).from_select(names, query)
    updates = {name: stmt.excluded[name] for name in names if name not in keys}
    return stmt.on_conflict_do_update(index_elements=keys, set_=updates)


def insert_or_lock(table: Table, dialect: Dialect, key: str) -> Any:
    """An insert of a key-only row that, when the row exists, updates it to itself.

    Unlike DO NOTHING, this takes the existing row's lock, so a transaction that deletes the row
    concurrently waits for the inserting one to commit.
    """
    stmt = _insert(table, dialect)
    return stmt.on_conflict_do_update(index_elements=[key], set_={key: stmt.excluded[key]})
