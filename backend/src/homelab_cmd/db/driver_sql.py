"""Plain SQL for the hottest statements, run through the driver without statement compilation.

Building and caching a Core statement, and even SQLAlchemy's execution context, cost more than
the insert itself when a heartbeat is a dozen small rows. These statements bind only integers,
floats and text, and run on the DBAPI cursor of the caller's connection, in its transaction.
"""

import re
from typing import Any

from sqlalchemy import Connection

_NAMED = re.compile(r"(?<!:):(\w+)")


def _for_dialect(sql: str, dialect: str) -> str:
    # Statements are written with :name; psycopg wants %(name)s.
    return _NAMED.sub(r"%(\1)s", sql) if dialect == "postgresql" else sql


class DriverStatement:
    """One SQL text, rendered once per dialect."""

    def __init__(self, sql: str, *, postgresql: str | None = None) -> None:
        self._sql = {"postgresql": _for_dialect(postgresql or sql, "postgresql")}
        self._default = sql

    def run(self, conn: Connection, params: dict[str, Any] | list[dict[str, Any]]) -> Any:
        """Execute on the connection's own DBAPI cursor (inside its transaction); returns it."""
        sql = self._sql.get(conn.dialect.name, self._default)
        cursor = conn.connection.cursor()
        if isinstance(params, list):
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
        return cursor
