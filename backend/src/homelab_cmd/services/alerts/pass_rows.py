"""The alert, flap and watch rows a pass reads and writes, as plain rows rather than ORM objects.

A pass reads its servers' open alerts and flap records with one statement each, changes them in
memory, and writes what changed at the end with one statement per table and kind of change
(executemany), not through the ORM's unit of work: under a storm of crossings the pass's ORM
loading and flush cost more than its decisions. As the ORM did, an update writes only the
columns whose value changed (an acknowledgement committed meanwhile on PostgreSQL, where the
API does not wait for the pass, is kept), and a column set to its old value is no change, so a
look-ahead pass that finds nothing to write takes no lock (evaluation.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    Executable,
    Table,
    Update,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from homelab_cmd.db.models import Alert, AlertFlap, AlertWatch
from homelab_cmd.domain.alerts import AlertKind, AlertState, Severity

ALERT: Table = Alert.__table__  # type: ignore[assignment]
FLAP: Table = AlertFlap.__table__  # type: ignore[assignment]
WATCH: Table = AlertWatch.__table__  # type: ignore[assignment]

# Built once: a pass reuses their compiled forms (only the IN list is expanded each time).
_OPEN_ALERTS = select(ALERT).where(ALERT.c.open_key.is_not(None))
_OPEN_ALERTS_OF = _OPEN_ALERTS.where(ALERT.c.server_id.in_(bindparam("ids", expanding=True)))
_FLAPS = select(FLAP)
_FLAPS_OF = _FLAPS.where(FLAP.c.server_id.in_(bindparam("ids", expanding=True)))
_DELETE_ALERT = delete(ALERT).where(ALERT.c.id == bindparam("row_id"))
_DELETE_FLAP = delete(FLAP).where(FLAP.c.condition_key == bindparam("row_key"))
_INSERT = {table.name: insert(table) for table in (ALERT, FLAP, WATCH)}


@dataclass(eq=False)
class AlertRow:
    """One alert as a pass holds it (the columns of `Alert`)."""

    kind: AlertKind
    server_id: str
    mount_point: str | None
    open_key: str | None
    state: AlertState
    severity: Severity
    started_at: datetime
    message: str = ""
    figures: dict[str, Any] | None = None
    fired_at: datetime | None = None
    resolved_at: datetime | None = None
    notified_at: datetime | None = None
    notified_severity: Severity | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    unknown: bool = False
    id: int | None = None


@dataclass(eq=False)
class FlapRow:
    """One condition's flap record as a pass holds it (the columns of `AlertFlap`)."""

    condition_key: str
    server_id: str
    kind: AlertKind
    mount_point: str | None
    severity: Severity
    last_change_at: datetime
    changes: list[list[int]] = field(default_factory=list)
    flapping_since: datetime | None = None
    changes_while_flapping: int = 0
    told_severity: Severity | None = None


_ALERT_FIELDS = tuple(f.name for f in fields(AlertRow))
_ALERT_VALUES = tuple(name for name in _ALERT_FIELDS if name != "id")
_FLAP_FIELDS = tuple(f.name for f in fields(FlapRow))
_FLAP_VALUES = tuple(name for name in _FLAP_FIELDS if name != "condition_key")


R = TypeVar("R")


def _copy(value: Any) -> Any:
    """A copy of a JSON value deep enough that the pass changing the row leaves it as read
    (a flap record's changes are a list of pairs: only containers are copied, by a call each)."""
    if isinstance(value, list):
        return [_copy(v) if isinstance(v, list | dict) else v for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) if isinstance(v, list | dict) else v for k, v in value.items()}
    return value


def _read(  # noqa: PLR0917  (the two queries, then what a row is made of)
    conn: Connection,
    every: Executable,
    of_servers: Executable,
    ids: list[str] | None,
    make: Callable[..., R],
    names: tuple[str, ...],
    json_column: str,
) -> list[tuple[R, dict[str, Any]]]:
    """Rows of these servers (all when None), each with its values as read. Only the JSON
    column can be changed in place, so only it is copied."""
    result = conn.execute(every, {}) if ids is None else conn.execute(of_servers, {"ids": ids})
    read = []
    for mapping in result.mappings():
        values = {name: mapping[name] for name in names}
        row = make(**values)
        values[json_column] = _copy(values[json_column])
        read.append((row, values))
    return read


class PassRows:
    """The rows a pass read, the ones it added and deleted; `write` sends the changes."""

    def __init__(self) -> None:
        self._alerts: list[tuple[AlertRow, dict[str, Any]]] = []
        self._new_alerts: list[AlertRow] = []
        self._deleted_alerts: list[int] = []
        self._flaps: dict[str, tuple[FlapRow, dict[str, Any]]] = {}
        self._new_flaps: dict[str, FlapRow] = {}
        self._deleted_flaps: set[str] = set()
        self._watches: dict[int, None] = {}

    def read_alerts(self, conn: Connection, ids: list[str] | None) -> list[AlertRow]:
        """The open alerts of these servers (all when None)."""
        read = _read(conn, _OPEN_ALERTS, _OPEN_ALERTS_OF, ids, AlertRow, _ALERT_FIELDS, "figures")
        self._alerts.extend(read)
        return [row for row, _ in read]

    def read_flaps(self, conn: Connection, ids: list[str] | None) -> list[FlapRow]:
        """The flap records of these servers (all when None)."""
        read = _read(conn, _FLAPS, _FLAPS_OF, ids, FlapRow, _FLAP_FIELDS, "changes")
        for row, values in read:
            if row.changes is None:
                row.changes = []
            self._flaps[row.condition_key] = (row, values)
        return [row for row, _ in read]

    def add_alert(self, row: AlertRow) -> None:
        self._new_alerts.append(row)

    def delete_alert(self, row: AlertRow) -> None:
        if row.id is not None:
            self._deleted_alerts.append(row.id)

    def add_flap(self, row: FlapRow) -> None:
        self._new_flaps[row.condition_key] = row

    def delete_flap(self, row: FlapRow) -> None:
        if self._new_flaps.get(row.condition_key) is row:
            del self._new_flaps[row.condition_key]
        elif row.condition_key in self._flaps:
            self._deleted_flaps.add(row.condition_key)

    def watch(self, filesystem_id: int) -> None:
        """The filesystem was seen writable (remembered for the read-only flip)."""
        self._watches[filesystem_id] = None

    def _alert_updates(self) -> list[tuple[AlertRow, dict[str, Any]]]:
        deleted = set(self._deleted_alerts)
        out = []
        for row, before in self._alerts:
            if row.id in deleted:
                continue
            changed = {n: getattr(row, n) for n in _ALERT_VALUES if getattr(row, n) != before[n]}
            if changed:
                out.append((row, changed))
        return out

    def _flap_updates(self) -> list[tuple[FlapRow, dict[str, Any]]]:
        out = []
        for key, (row, before) in self._flaps.items():
            if key in self._deleted_flaps:
                continue
            changed = {n: getattr(row, n) for n in _FLAP_VALUES if getattr(row, n) != before[n]}
            if changed:
                out.append((row, changed))
        return out

    def changed(self) -> bool:
        """Whether there is anything to write."""
        return bool(
            self._new_alerts
            or self._deleted_alerts
            or self._new_flaps
            or self._deleted_flaps
            or self._watches
            or self._alert_updates()
            or self._flap_updates()
        )

    def write(self, conn: Connection) -> None:
        """Send the changes: per table, the updates (one statement per set of columns changed),
        the deletes, then the inserts (a flap record deleted and counted afresh in one pass is
        deleted before it is inserted again)."""
        _update(conn, ALERT, "id", self._alert_updates())
        if self._deleted_alerts:
            conn.execute(_DELETE_ALERT, [{"row_id": i} for i in self._deleted_alerts])
        if self._new_alerts:
            conn.execute(
                _INSERT[ALERT.name],
                [{n: getattr(row, n) for n in _ALERT_VALUES} for row in self._new_alerts],
            )
        _update(conn, FLAP, "condition_key", self._flap_updates())
        if self._deleted_flaps:
            conn.execute(_DELETE_FLAP, [{"row_key": k} for k in sorted(self._deleted_flaps)])
        if self._new_flaps:
            conn.execute(
                _INSERT[FLAP.name],
                [{n: getattr(row, n) for n in _FLAP_FIELDS} for row in self._new_flaps.values()],
            )
        if self._watches:
            conn.execute(
                _INSERT[WATCH.name],
                [{"filesystem_id": i, "seen_writable": True} for i in self._watches],
            )


def _update(
    conn: Connection, table: Table, key: str, updates: list[tuple[Any, dict[str, Any]]]
) -> None:
    """One executemany per set of columns changed (most passes change one set)."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row, changed in updates:
        params = {f"new_{n}": v for n, v in changed.items()}
        params["row_key"] = getattr(row, key)
        by_columns.setdefault(tuple(sorted(changed)), []).append(params)
    for columns, rows in by_columns.items():
        conn.execute(_update_statement(table.name, key, columns), rows)


@cache
def _update_statement(table_name: str, key: str, columns: tuple[str, ...]) -> Update:
    """Built once per set of columns, so its compiled form is reused."""
    table = {t.name: t for t in (ALERT, FLAP)}[table_name]
    return (
        update(table)
        .where(table.c[key] == bindparam("row_key"))
        .values({n: bindparam(f"new_{n}") for n in columns})
    )
