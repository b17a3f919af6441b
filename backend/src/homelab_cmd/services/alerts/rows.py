"""What a pass reads of servers and mounts: the columns, the rows, the heartbeats since a mount's
last sample, and a mount's facts as the observations take them."""

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AlertWatch, Filesystem, FilesystemSample, ServerMetric
from homelab_cmd.db.tables import FILESYSTEM_TREND as TREND
from homelab_cmd.domain.forecast_fields import (
    ALERT_FIELDS,
    BYTES,
    CONFIDENT,
    FILL_DOMAIN_LABEL,
    FULL_AT,
    FULL_AT_EARLIEST,
    FULL_AT_LATEST,
    INODES,
    QUANTITIES,
    ForecastQuantity,
)
from homelab_cmd.services.alerts.observe import MountFacts, Trend

# Filesystem ids per IN (...), well inside every engine's bound-parameter limit.
ID_CHUNK = 500

# A server's row as a pass reads it: id, hostname, display_name, last_seen_at,
# latest_heartbeat_at, filesystems, capacity_domains.
ServerRow = Row[Any]
# A mount's row as a pass reads it: the `MOUNT_COLUMNS`, by name.
MountRow = Row[Any]
# The trend columns of each quantity a pass reads, from the forecast catalogue: growth, full_at,
# its range and whether it is confident (`growth_bytes_per_day`, …, `inodes_confident`).
_TREND_COLUMNS = {q: tuple(f.name(q) for f in ALERT_FIELDS) for q in QUANTITIES}
_MOUNT = (
    Filesystem.id,
    Filesystem.server_id,
    Filesystem.mount_point,
    Filesystem.last_seen_at,
    Filesystem.dismissed_seen_at,
    AlertWatch.seen_writable,
)
MOUNT_COLUMNS = (*_MOUNT, *(TREND.c[name] for q in QUANTITIES for name in _TREND_COLUMNS[q]))
# Each quantity's trend columns by name and where they sit in a mount row: read by position, as
# a row's mapping looks each name up in Python code (for every mount of every pass).
_TREND_AT = {
    q: (_TREND_COLUMNS[q], itemgetter(*range(start, start + len(ALERT_FIELDS))))
    for q, start in zip(
        QUANTITIES, range(len(_MOUNT), len(MOUNT_COLUMNS), len(ALERT_FIELDS)), strict=True
    )
}
# A forecast's fill date, its range and whether it is confident, by quantity (spelled once).
_DATES = {
    q: tuple(f.name(q) for f in (FULL_AT, FULL_AT_EARLIEST, FULL_AT_LATEST, CONFIDENT))
    for q in QUANTITIES
}
_FILLS_WITH = FILL_DOMAIN_LABEL.name()


def only(query: Any, column: Any, ids: list[str] | None) -> Any:
    return query if ids is None else query.where(column.in_(ids))


def mount_rows(session: Session, ids: list[str] | None) -> dict[str, dict[str, MountRow]]:
    """Per server and mount: the mount's row, its alert watch and its stored trend."""
    query = only(
        select(*MOUNT_COLUMNS)
        .outerjoin(AlertWatch, AlertWatch.filesystem_id == Filesystem.id)
        .outerjoin(TREND, TREND.c.filesystem_id == Filesystem.id),
        Filesystem.server_id,
        ids,
    )
    mounts: dict[str, dict[str, MountRow]] = defaultdict(dict)
    for row in session.execute(query):
        mounts[row.server_id][row.mount_point] = row
    return mounts


def heartbeats_without(session: Session, server_id: str, rows: list[MountRow]) -> dict[int, int]:
    """Per mount row: heartbeats of the server since its last sample (at most 3 counted).

    A few reads whatever the number of mounts: the newest samples grouped, and the server's
    three newest heartbeats, against which each mount's last sample is compared.
    """
    newest: dict[int, datetime] = {}
    ids = [row.id for row in rows]
    for start in range(0, len(ids), ID_CHUNK):
        query = (
            select(FilesystemSample.filesystem_id, func.max(FilesystemSample.sampled_at))
            .where(FilesystemSample.filesystem_id.in_(ids[start : start + ID_CHUNK]))
            .group_by(FilesystemSample.filesystem_id)
        )
        newest.update((fs_id, at) for fs_id, at in session.execute(query))
    latest = list(
        session.scalars(
            select(ServerMetric.sampled_at)
            .where(ServerMetric.server_id == server_id)
            .order_by(ServerMetric.sampled_at.desc())
            .limit(3)
        )
    )
    counts = {}
    for row in rows:
        last = newest.get(row.id)
        since = last if last is not None else row.last_seen_at
        counts[row.id] = sum(at > since for at in latest)
    return counts


def stored_trend(row: MountRow, quantity: ForecastQuantity) -> dict[str, Any]:
    """A mount row's stored trend of one quantity (its `ALERT_FIELDS`), by name."""
    names, values = _TREND_AT[quantity]
    return dict(zip(names, values(row), strict=True))


def _trend(forecast: Mapping[str, Any], quantity: ForecastQuantity) -> Trend | None:
    """A forecast of this quantity, when it is confident and has a date."""
    full_at_name, earliest, latest, confident = _DATES[quantity]
    full_at = forecast.get(full_at_name)
    if not forecast.get(confident) or full_at is None:
        return None
    fills_with = forecast.get(_FILLS_WITH) if quantity is BYTES else None
    return Trend(full_at, forecast.get(earliest), forecast.get(latest), fills_with)


def facts(row: MountRow | None, forecast: Mapping[str, Any]) -> MountFacts:
    """A mount's stored facts from its `mount_rows` row and its dated forecast; forecasts only
    when confident."""
    if row is None:
        return MountFacts(None, False, None)
    inodes = _trend(stored_trend(row, INODES), INODES)
    return MountFacts(row.id, bool(row.seen_writable), _trend(forecast, BYTES), inodes)
