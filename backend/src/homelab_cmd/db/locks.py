"""PostgreSQL advisory-lock ids, in one place so two jobs never pick the same number.

Any constants will do; each only has to be the same in every hub process. SQLite needs no lock:
its first write already makes the transaction the only writer.
"""

from sqlalchemy import Connection, func, select

MIGRATION_LOCK_ID = 0x486F6D656C6162
MAINTENANCE_LOCK_ID = 0x486C_436D_6452


def advisory_xact_lock(conn: Connection, lock_id: int) -> None:
    """On PostgreSQL, wait for the advisory lock `lock_id`, held until the transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(lock_id)))
