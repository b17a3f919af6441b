"""Drives and pools of one heartbeat into their rows, inside the heartbeat's transaction.

A drive's list comes once a drive pass (hourly by default) and is the whole list: a drive it no
longer names is gone. A reading older than the stored one (a replayed heartbeat) changes nothing.
The counts first seen are the baseline every later reading is judged against.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from homelab_cmd.db.tables import DRIVE, DRIVE_SAMPLE, POOL
from homelab_cmd.db.upsert import insert_ignore
from homelab_cmd.domain.drives import Previous, judge
from homelab_cmd.domain.pools import error_counts
from homelab_cmd.schemas.drive import DriveReport, PoolReport
from homelab_cmd.services.drives.judgment import counts_of, reading_of


def _power_on_hours(drive: DriveReport) -> int | None:
    return None if drive.power_on_seconds is None else drive.power_on_seconds // 3600


def _row(drive: DriveReport, server_id: str) -> dict[str, Any]:
    return {
        "server_id": server_id,
        "drive_key": drive.id,
        "name": drive.name,
        "model": drive.model,
        "serial": drive.serial,
        "kind": drive.kind[:16],
        "state": drive.state,
        "reading": drive.model_dump(mode="json"),
        "checked_at": drive.checked_at,
        "asleep_since": drive.asleep_since,
    }


def store_drives(
    conn: Connection, server_id: str, drives: Sequence[DriveReport], at: datetime
) -> None:
    """One drive pass of a server: judge each drive against what the hub had, keep its sample."""
    known = {
        row.drive_key: row
        for row in conn.execute(select(DRIVE).where(DRIVE.c.server_id == server_id))
    }
    listed = {d.id: d for d in drives}
    gone = [row.id for key, row in known.items() if key not in listed]
    if gone:
        conn.execute(delete(DRIVE).where(DRIVE.c.id.in_(gone)))
    for drive in listed.values():
        row = known.get(drive.id)
        reading = reading_of(drive)
        fresh = row is None or (
            drive.read_at is not None and (row.read_at is None or drive.read_at > row.read_at)
        )
        if row is not None and not fresh:
            # No new data (asleep, or a replay): the state and the sleep may still change.
            verdict = judge(
                reading_of(DriveReport.model_validate({**row.reading, **_state(drive)})),
                row.baseline,
                None,
                row.acknowledged,
            )
            conn.execute(
                update(DRIVE)
                .where(DRIVE.c.id == row.id)
                .values(
                    state=drive.state,
                    checked_at=drive.checked_at,
                    asleep_since=drive.asleep_since,
                    health=verdict.health,
                    reasons=verdict.reasons,
                    hushed=verdict.acknowledged,
                )
            )
            continue
        counts = counts_of(drive)
        baseline = {**counts, **(row.baseline if row is not None else {})}
        previous = Previous(row.counts, row.read_at) if row is not None and row.read_at else None
        verdict = judge(reading, baseline, previous, row.acknowledged if row else None)
        values = {
            **_row(drive, server_id),
            "health": verdict.health,
            "reasons": verdict.reasons,
            "hushed": verdict.acknowledged,
            "counts": counts,
            "baseline": baseline,
            "read_at": drive.read_at,
        }
        if row is None:
            drive_id = conn.execute(
                insert(DRIVE)
                .values(**values, first_seen_at=at, acknowledged=None)
                .returning(DRIVE.c.id)
            ).scalar_one()
        else:
            drive_id = row.id
            conn.execute(update(DRIVE).where(DRIVE.c.id == row.id).values(**values))
        if drive.read_at is not None and reading.has_data:
            _sample(conn, drive_id, drive, counts)


def _state(drive: DriveReport) -> dict[str, Any]:
    return {
        "state": drive.state,
        "message": drive.message,
        "checked_at": drive.checked_at.isoformat(),
        "asleep_since": drive.asleep_since.isoformat() if drive.asleep_since else None,
    }


def _sample(conn: Connection, drive_id: int, drive: DriveReport, counts: dict[str, int]) -> None:
    assert drive.read_at is not None
    conn.execute(
        insert_ignore(DRIVE_SAMPLE, conn.dialect),
        {
            "drive_id": drive_id,
            "sampled_at": drive.read_at.replace(microsecond=0),
            "temperature_celsius": drive.temperature_celsius,
            "power_on_hours": _power_on_hours(drive),
            "counts": counts,
        },
    )


def store_pools(
    conn: Connection, server_id: str, pools: Sequence[PoolReport], at: datetime
) -> None:
    """One pool pass of a server: the latest state of each, when it turned degraded."""
    known = {
        (row.kind, row.name): row
        for row in conn.execute(select(POOL).where(POOL.c.server_id == server_id))
    }
    listed = {(p.kind, p.name): p for p in pools}
    gone = [row.id for key, row in known.items() if key not in listed]
    if gone:
        conn.execute(delete(POOL).where(POOL.c.id.in_(gone)))
    for key, pool in listed.items():
        row = known.get(key)
        entry = pool.model_dump(mode="json")
        counts = error_counts(entry)
        if row is not None and at < row.read_at:
            continue  # a replayed, older heartbeat
        degraded = bool(pool.degraded)
        since = (row.degraded_since if row is not None else None) or at
        values = {
            "state": pool.state,
            "reading": entry,
            "degraded_since": since if degraded else None,
            "read_at": at,
        }
        if row is None:
            conn.execute(
                insert(POOL).values(
                    server_id=server_id,
                    kind=pool.kind,
                    name=pool.name,
                    baseline=counts,
                    first_seen_at=at,
                    **values,
                )
            )
            continue
        # A counter reset (zpool clear) lowers the baseline: a new error then counts again.
        baseline = {k: min(v, row.baseline.get(k, v)) for k, v in counts.items()}
        conn.execute(update(POOL).where(POOL.c.id == row.id).values(baseline=baseline, **values))
