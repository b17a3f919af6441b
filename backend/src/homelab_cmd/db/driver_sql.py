"""Plain SQL for the hottest statements, run through the driver without statement compilation.

Building and caching a Core statement costs more than the insert itself when a heartbeat is
a dozen small rows; these statements bind only integers, floats and text.
"""

import re
from typing import Any

from sqlalchemy import Connection, CursorResult

_NAMED = re.compile(r"(?<!:):(\w+)")


def _for_dialect(sql: str, dialect: str) -> str:
    # Statements are written with :name; psycopg wants %(name)s.
    return _NAMED.sub(r"%(\1)s", sql) if dialect == "postgresql" else sql


class DriverStatement:
    """One SQL text, rendered once per dialect."""

    def __init__(self, sql: str, *, postgresql: str | None = None) -> None:
        self._sql = {"postgresql": _for_dialect(postgresql or sql, "postgresql")}
        self._default = sql

    def run(self, conn: Connection, params: Any) -> CursorResult[Any]:
        """Execute with a dict, or a list of dicts for executemany."""
        sql = self._sql.get(conn.dialect.name, self._default)
        return conn.exec_driver_sql(sql, params)
