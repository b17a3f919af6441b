"""Flapping: a condition that changes state too often is told once, then again when it settles.

Levels have hysteresis (a clear level below the fire level), yet a figure can still swing across
both on every heartbeat, and each swing would be a message. So each condition (kind, server,
mount) counts its changes of state (fired, resolved, severity changed while firing) within a
window; past `changes` of them it is flapping: one message says so, with its rate, and the
condition's own messages are held. Should it reach a worse severity while flapping, a new message
says so at that severity (channels taking only the worse one, a pager, hear it flaps). When it
has not changed for `settle`, one message says it settled and what it is now, and its messages
flow again. docs/alerts.md "Flapping".
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from homelab_cmd.domain.alerts import AlertKind, Severity
from homelab_cmd.services.alerts.pass_rows import FlapRow, PassRows

# The window is counted in this many slots: the rate is exact to a 60th of the window, and a
# condition changing on every heartbeat keeps at most this many pairs.
SLOTS = 60


@dataclass(frozen=True)
class FlapConfig:
    """More than `changes` changes within `window` is flapping; `settle` without one ends it."""

    changes: int = 4
    window: timedelta = timedelta(hours=1)
    settle: timedelta = timedelta(minutes=30)

    @property
    def enabled(self) -> bool:
        return self.changes > 0


@dataclass(frozen=True)
class Settled:
    """A condition that stopped flapping in this pass."""

    kind: AlertKind
    mount_point: str | None
    severity: Severity
    changes: int  # while it flapped, the ones that made it flap included
    quiet: timedelta


class FlapBook:
    """The flap records of a pass's servers, read once a pass and changed in its `PassRows`
    (so the look-ahead pass without the lock writes nothing)."""

    def __init__(
        self,
        rows: PassRows,
        config: FlapConfig,
        now: datetime,
        *,
        conn: Connection | None = None,
        ids: list[str] | None = None,
    ) -> None:
        """Without `conn`, an empty book (no servers read yet)."""
        self._pass_rows = rows
        self._config = config
        self._now = now
        self._rows: dict[str, FlapRow] = {}
        # Per server, the keys of its records (a pass over many servers looks up one at a time).
        self._keys: dict[str, list[str]] = {}
        self._started: dict[str, list[FlapRow]] = {}
        if conn is None or not config.enabled or ids == []:
            return
        for row in rows.read_flaps(conn, ids):
            self._rows[row.condition_key] = row
            self._keys.setdefault(row.server_id, []).append(row.condition_key)

    def flapping(self, key: str) -> bool:
        row = self._rows.get(key)
        return row is not None and row.flapping_since is not None

    def change(
        self,
        key: str,
        server_id: str,
        kind: AlertKind,
        mount_point: str | None,
        severity: Severity,
    ) -> None:
        """Count one change of state of this condition; it may start flapping."""
        if not self._config.enabled:
            return
        row = self._rows.get(key)
        if row is None:
            row = FlapRow(key, server_id, kind, mount_point, severity, self._now)
            self._pass_rows.add_flap(row)
            self._rows[key] = row
            self._keys.setdefault(server_id, []).append(key)
        elif severity.rank > row.severity.rank:
            row.severity = severity
        slot = self._slot(self._now)
        kept = [[start, n] for start, n in row.changes or [] if start > self._oldest()]
        if kept and kept[-1][0] == slot:
            kept[-1] = [slot, kept[-1][1] + 1]
        else:
            kept.append([slot, 1])
        row.changes = kept
        row.last_change_at = self._now
        if row.flapping_since is not None:
            row.changes_while_flapping += 1
        elif (recent := sum(n for _, n in kept)) > self._config.changes:
            row.flapping_since = self._now
            row.changes_while_flapping = recent
            self._started.setdefault(server_id, []).append(row)

    def started(self, server_id: str) -> list[FlapRow]:
        """The conditions of this server that started flapping in this pass."""
        return self._started.pop(server_id, [])

    def worse(self, server_id: str) -> list[FlapRow]:
        """The flapping conditions of this server now worse than their last message announced
        (`told_severity`); one started in this pass is in `started` instead."""
        return [
            row
            for row in self._of(server_id)
            if row.flapping_since is not None
            and row.told_severity is not None
            and row.severity.rank > row.told_severity.rank
        ]

    def settle(self, server_id: str) -> list[Settled]:
        """End the flapping of this server's conditions quiet for the settle time; forget the
        counts of conditions that have not changed within the window."""
        out = []
        for row in self._of(server_id):
            key = row.condition_key
            quiet = self._now - row.last_change_at
            if row.flapping_since is not None and quiet >= self._config.settle:
                out.append(
                    Settled(
                        row.kind, row.mount_point, row.severity, row.changes_while_flapping, quiet
                    )
                )
                # Counted afresh: the changes before it settled do not make it flap again.
                self._pass_rows.delete_flap(row)
                del self._rows[key]
            elif row.flapping_since is None and quiet >= self._config.window:
                self._pass_rows.delete_flap(row)
                del self._rows[key]
        return out

    def _of(self, server_id: str) -> list[FlapRow]:
        """This server's records held now, in the order they were read or (again) added."""
        keys = list(dict.fromkeys(reversed(self._keys.get(server_id, []))))
        return [row for key in reversed(keys) if (row := self._rows.get(key)) is not None]

    def recent(self, row: FlapRow) -> int:
        """Changes of this condition within the window, as of this pass."""
        oldest = self._oldest()
        return sum(n for start, n in row.changes or [] if start > oldest)

    def _slot(self, at: datetime) -> int:
        width = max(int(self._config.window.total_seconds()) // SLOTS, 1)
        epoch = int(at.timestamp())
        return epoch - epoch % width

    def _oldest(self) -> int:
        """Slots starting at or before this are outside the window."""
        return self._slot(self._now - self._config.window)
