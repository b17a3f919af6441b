"""The fast encoders write exactly what prometheus_client's own encoders write."""

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.openmetrics.exposition import generate_latest as generate_openmetrics
from sqlalchemy import Engine, select

from homelab_cmd.db.models import Filesystem
from homelab_cmd.services.forecast.trends import store_trends
from homelab_cmd.services.prometheus.exposition import Exposition
from homelab_cmd.services.prometheus.text import encode_openmetrics, encode_text
from tests.factories import filesystem_payload, heartbeat_payload, unreachable_filesystem_payload

HEARTBEAT = "/api/v1/agents/heartbeat"
# Everything a label value or help text may hold that the formats escape.
AWKWARD = 'quote " backslash \\ newline \n tab \t unicode é ✓'


class Fixed:
    """A collector that returns given metrics."""

    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> list[Metric]:
        return self.metrics


def _hub_metrics(app: FastAPI, client: TestClient, engine: Engine) -> list[Metric]:
    """Every kind of series the hub serves, with awkward label values."""
    odd = filesystem_payload(mount_point=f"/mnt/{AWKWARD}", device=AWKWARD, inodes_total=10)
    client.post(
        HEARTBEAT,
        json=heartbeat_payload(
            filesystems=[filesystem_payload(read_only=True), odd, unreachable_filesystem_payload()]
        ),
    )
    client.patch("/api/v1/servers/nas-1", json={"display_name": AWKWARD})
    client.post(HEARTBEAT, json=heartbeat_payload(), headers={"X-API-Key": "wrong"})
    with engine.begin() as conn:
        fs_id = conn.execute(select(Filesystem.id).where(Filesystem.mount_point == "/")).scalar()
        row = {
            "filesystem_id": fs_id,
            "growth_bytes_per_day": 123456.789,
            "full_at": datetime(2027, 1, 1, tzinfo=UTC),
            "inodes_full_at": datetime(2027, 2, 1, tzinfo=UTC),
            "computed_at": datetime.now(UTC),
        }
        store_trends(conn, [row])
    exposition: Exposition = app.state.exposition
    return list(exposition._registry.collect())


def test_text_format_matches_the_library(app: FastAPI, client: TestClient, engine: Engine) -> None:
    metrics = _hub_metrics(app, client, engine)

    assert encode_text(metrics) == generate_latest(Fixed(metrics))


def test_openmetrics_matches_the_library(app: FastAPI, client: TestClient, engine: Engine) -> None:
    metrics = _hub_metrics(app, client, engine)

    assert encode_openmetrics(metrics) == generate_openmetrics(Fixed(metrics))  # type: ignore[no-untyped-call]


def test_help_text_and_values_are_escaped_as_the_library_does() -> None:
    family = GaugeMetricFamily("odd", f"help with {AWKWARD}", labels=["a", "b"])
    for value in (0.0, -1.5, 1e21, 123456789.0, float("inf"), float("nan"), 2**53):
        family.add_metric([AWKWARD, str(value)], value)

    assert encode_text([family]) == generate_latest(Fixed([family]))
    assert encode_openmetrics([family]) == generate_openmetrics(Fixed([family]))  # type: ignore[no-untyped-call]


@pytest.mark.parametrize("encode", [encode_text, encode_openmetrics])
def test_what_the_fast_path_does_not_cover_is_left_to_the_library(encode) -> None:  # type: ignore[no-untyped-def]
    registry = CollectorRegistry()
    Counter("with_unit_seconds", "has a unit", unit="seconds", registry=registry)
    timestamped = GaugeMetricFamily("stamped", "has a timestamp")
    timestamped.add_metric([], 1.0, timestamp=1234.5)

    assert encode(list(registry.collect())) is None
    assert encode([timestamped]) is None
