"""PostgreSQL advisory-lock ids, in one place so two jobs never pick the same number.

Any constants will do; each only has to be the same in every hub process. On SQLite a
transaction's first write makes it the only writer; one that must decide on what it reads takes
the write lock first (`sqlite_write_lock`).
"""

from sqlalchemy import Connection, func, select

MIGRATION_LOCK_ID = 0x486F6D656C6162
MAINTENANCE_LOCK_ID = 0x486C_436D_6452
ALERT_LOCK_ID = 0x486C_416C_7274


def advisory_xact_lock(conn: Connection, lock_id: int) -> None:
    """On PostgreSQL, wait for the advisory lock `lock_id`, held until the transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(lock_id)))


def sqlite_write_lock(conn: Connection) -> None:
    """On SQLite, open the transaction as the writer now (BEGIN IMMEDIATE), not at its first write.

    A transaction that reads, decides, then writes must hold the lock before it reads: otherwise
    two processes both read the old state and both act on it.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def exclusive_pass(conn: Connection, lock_id: int) -> None:
    """Make this transaction the only one of its kind: the write lock on SQLite, an advisory
    lock on PostgreSQL (other writers carry on)."""
    sqlite_write_lock(conn)
    advisory_xact_lock(conn, lock_id)
