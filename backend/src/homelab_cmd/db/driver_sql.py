"""Plain SQL for the hottest statements, run through the driver without statement compilation.

Building and caching a Core statement, and even SQLAlchemy's execution context, cost more than
the insert itself when a heartbeat is a dozen small rows. These statements bind only integers,
floats and text, and run on the DBAPI cursor of the caller's connection, in its transaction.
"""

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection

_NAMED = re.compile(r"(?<!:):(\w+)")


def _for_dialect(sql: str, dialect: str, binary: frozenset[str] = frozenset()) -> str:
    # Statements are written with :name; psycopg wants %(name)s, or %(name)b sent in binary.
    if dialect != "postgresql":
        return sql
    return _NAMED.sub(lambda m: f"%({m[1]}){'b' if m[1] in binary else 's'}", sql)


class DriverStatement:
    """One SQL text, rendered once per dialect.

    `binary`: parameters PostgreSQL receives in binary, for lists of text (an array of a whole
    batch's snapshots): psycopg's text format quotes and escapes every element, 3 ms a batch of
    sixteen, where the binary one sends their bytes as they are.
    """

    def __init__(
        self, sql: str, *, postgresql: str | None = None, binary: tuple[str, ...] = ()
    ) -> None:
        self._sql = {"postgresql": _for_dialect(postgresql or sql, "postgresql", frozenset(binary))}
        self._default = sql

    def run(self, conn: Connection, params: dict[str, Any] | tuple[Any, ...] | list[Any]) -> Any:
        """Execute on the connection's own DBAPI cursor (inside its transaction); returns it.

        `params`: one row's (a dict by name, or a tuple for a statement written with `?`), or a
        list of rows, run as executemany."""
        sql = self._sql.get(conn.dialect.name, self._default)
        cursor = conn.connection.cursor()
        if not isinstance(params, list):
            cursor.execute(sql, params)
        elif len(params) == 1:  # psycopg's executemany enters pipeline mode, even for one row
            cursor.execute(sql, params[0])
        else:
            cursor.executemany(sql, params)
        return cursor


def number_array(values: Iterable[float | None]) -> str:
    """A PostgreSQL array literal of numbers, '{1,2.5,NULL}' (ints and finite floats, whose repr
    reads back exactly): one join, where psycopg's list dumper spends a regex on every element."""
    return "{" + ",".join(["NULL" if v is None else repr(v) for v in values]) + "}"
