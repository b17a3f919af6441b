"""History of a server's metrics and of its filesystems."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from homelab_cmd.api.deps import ReadAuth, ServerDep, SessionDep, SettingsDep
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import FilesystemNotFound, Forbidden, ServerNotFound, Unauthorized
from homelab_cmd.schemas.history import (
    FilesystemMetricsHistory,
    HistoryRange,
    ServerMetricsHistory,
)
from homelab_cmd.services.fleet import history

router = APIRouter(
    prefix="/servers",
    tags=["metrics"],
    responses=error_responses(Unauthorized, Forbidden, ServerNotFound),
)
RangeQuery = Annotated[
    HistoryRange, Query(alias="range", description="How far back; the hub picks the tier")
]


@router.get("/{server_id}/metrics")
def get_server_metrics(
    _: ReadAuth, server: ServerDep, session: SessionDep, range_: RangeQuery = HistoryRange.H24
) -> ServerMetricsHistory:
    """CPU, memory, load and network over the range: raw, hourly or daily points."""
    return history.server_metrics(session, server.id, range_, datetime.now(UTC))


@router.get("/{server_id}/filesystems/metrics", responses=error_responses(FilesystemNotFound))
def get_filesystem_metrics(
    _: ReadAuth,
    server: ServerDep,
    session: SessionDep,
    settings: SettingsDep,
    *,
    range_: RangeQuery = HistoryRange.H24,
    mount_point: Annotated[
        str | None, Query(description="One filesystem; without it, every filesystem's series")
    ] = None,
    offset: Annotated[
        int, Query(ge=0, le=2**31, description="Skip this many series (see next_offset)")
    ] = 0,
) -> FilesystemMetricsHistory:
    """Used, available and total bytes per filesystem over the range, with each trend.

    At most `max_history_series` series an answer, ordered by mount point; `next_offset` says
    where the next page starts.
    """
    page = history.SeriesPage(offset, settings.max_history_series)
    return history.filesystem_metrics(
        session, server.id, mount_point, range_, datetime.now(UTC), page=page
    )
