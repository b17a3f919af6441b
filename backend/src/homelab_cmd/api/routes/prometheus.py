"""Prometheus scrape endpoint, at /metrics where scrapers look for it."""

from typing import Annotated

from fastapi import APIRouter, Header, Response

from homelab_cmd.api.deps import ExpositionDep, MetricsAuth
from homelab_cmd.api.error_handlers import error_responses
from homelab_cmd.errors import Forbidden, Unauthorized

router = APIRouter(tags=["prometheus"])
_FORMATS = {
    "text/plain": {"schema": {"type": "string"}},
    "application/openmetrics-text": {"schema": {"type": "string"}},
}


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": _FORMATS}, **error_responses(Unauthorized, Forbidden)},
)
def get_metrics(
    _: MetricsAuth, exposition: ExpositionDep, accept: Annotated[str | None, Header()] = None
) -> Response:
    """The fleet's current figures: Prometheus text, or OpenMetrics when Accept asks for it."""
    body, content_type = exposition.render(accept)
    return Response(body, media_type=content_type)
