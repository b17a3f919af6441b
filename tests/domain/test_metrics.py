"""The metric catalogue against the copies that cannot derive from it: the wire contract, the
agent's payload, the migrations and the response schemas. Each test fails when one drifts."""

from dataclasses import fields
from typing import Any, get_args

import pytest
from sqlalchemy import BigInteger, Engine, Float, inspect

from homelab_agent.payload import MetricsSample
from homelab_cmd.db.models import FilesystemHourly, FilesystemSample
from homelab_cmd.db.tables import table_of
from homelab_cmd.domain.filesystems import FILESYSTEM_METRICS, STORED_FILESYSTEM_METRICS
from homelab_cmd.domain.metrics import SERVER_METRICS, Metric, charted, from_wire, sampled
from homelab_cmd.schemas.heartbeat import MetricsPayload
from homelab_cmd.schemas.history import FilesystemPoint, ServerMetricPoint

UNIT_SUFFIXES = ("_percent", "_bytes", "_seconds")


def _annotation_types(annotation: Any) -> set[type]:
    return {t for t in get_args(annotation) if t is not type(None)} or {annotation}


def test_every_wire_metric_field_is_in_the_catalogue_and_back() -> None:
    wire = {m.wire_name for m in SERVER_METRICS}
    assert wire == set(MetricsPayload.model_fields)


def test_the_agent_sends_exactly_the_catalogued_wire_fields() -> None:
    assert {f.name for f in fields(MetricsSample)} == {m.wire_name for m in SERVER_METRICS}


@pytest.mark.parametrize("metric", SERVER_METRICS, ids=lambda m: m.name)
def test_wire_type_fits_the_hub_type(metric: Metric) -> None:
    wire_types = _annotation_types(MetricsPayload.model_fields[metric.wire_name].annotation)
    if int in wire_types:
        assert metric.integer, "an integer on the wire stays an integer in the hub"
    if not metric.integer:
        assert wire_types == {float} and metric.wire_factor == 1


@pytest.mark.parametrize("metric", SERVER_METRICS, ids=lambda m: m.name)
def test_a_renamed_wire_field_converts_units(metric: Metric) -> None:
    if metric.wire is None:
        assert metric.wire_factor == 1
    else:
        assert metric.wire != metric.name and metric.wire_factor > 1


@pytest.mark.parametrize("metric", SERVER_METRICS, ids=lambda m: m.name)
def test_hub_names_carry_their_unit(metric: Metric) -> None:
    assert metric.name.endswith(UNIT_SUFFIXES) or metric.name.startswith("load_")


def test_charted_metrics_are_sampled() -> None:
    assert set(charted()) <= set(sampled())


def test_wire_units_convert_to_bytes() -> None:
    memory = next(m for m in SERVER_METRICS if m.wire == "memory_total_mb")
    disk = next(m for m in SERVER_METRICS if m.wire == "disk_total_gb")
    assert from_wire(memory, 8192) == 8192 * 1024**2
    assert from_wire(disk, 1.5) == 3 * 1024**3 // 2
    assert from_wire(disk, None) is None


def _columns(engine: Engine, table: str) -> dict[str, Any]:
    return {c["name"]: c["type"] for c in inspect(engine).get_columns(table)}


def test_migrated_server_metric_tables_hold_the_catalogue(engine: Engine) -> None:
    raw = _columns(engine, "server_metric")
    assert set(raw) == {"server_id", "sampled_at", *(m.name for m in sampled())}
    for m in sampled():
        assert isinstance(raw[m.name], BigInteger if m.integer else Float), m.name
    expected = {"server_id", "bucket_at", "sample_count"}
    expected |= {c for m in charted() for c in m.columns()}
    for tier in ("server_metric_hourly", "server_metric_daily"):
        assert set(_columns(engine, tier)) == expected, tier


def test_server_history_points_serve_each_charted_metric() -> None:
    expected = {"timestamp", "sample_count"}
    for m in charted():
        expected.add(m.name)
        _, low, high = m.point_columns()
        expected |= {c for c in (low, high) if c is not None}
    assert set(ServerMetricPoint.model_fields) == expected


def test_filesystem_tables_and_points_follow_the_filesystem_catalogue() -> None:
    # The tiers keep every stored metric (inodes included); history points chart the rest.
    hourly = {c.name for c in table_of(FilesystemHourly).columns}
    assert hourly == {"filesystem_id", "bucket_at", "sample_count"} | {
        c for m in STORED_FILESYSTEM_METRICS for c in m.columns()
    }
    raw = {c.name for c in table_of(FilesystemSample).columns}
    assert raw == {"filesystem_id", "sampled_at"} | {m.name for m in STORED_FILESYSTEM_METRICS}
    points = {"timestamp", "sample_count"}
    for m in FILESYSTEM_METRICS:
        _, low, high = m.point_columns()
        points |= {m.name} | {c for c in (low, high) if c is not None}
    assert set(FilesystemPoint.model_fields) == points
