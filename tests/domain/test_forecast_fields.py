"""The forecast-field catalogue against the copies that cannot derive from it: the model's
`Forecast`, the migrated `filesystem_trend` table and the API's forecast schemas (written out for
their descriptions). Each test fails when one drifts."""

from dataclasses import fields
from datetime import datetime
from typing import Any, get_args

import pytest
from pydantic import BaseModel
from sqlalchemy import BigInteger, Boolean, Engine, Float, String, inspect

from homelab_cmd.db.tables import FILESYSTEM_TREND
from homelab_cmd.domain.forecast import FillSource, ForecastBasis
from homelab_cmd.domain.forecast_fields import (
    BYTES,
    FILL_FIELDS,
    FORECAST_FIELDS,
    GROWTH,
    INODES,
    QUANTITIES,
    STORED_COLUMNS,
    ForecastQuantity,
    fields_of,
    stored_fields,
)
from homelab_cmd.schemas.server import (
    FilesystemFill,
    FilesystemForecast,
    FilesystemRead,
    FullestFilesystem,
    InodeForecast,
)
from homelab_cmd.services.forecast.model import Forecast

SCHEMAS: dict[ForecastQuantity, type[BaseModel]] = {
    BYTES: FilesystemForecast,
    INODES: InodeForecast,
}
# How each kind of field is stored: instants as epoch seconds, the basis as its value.
STORED_TYPES: dict[type, type] = {
    float: Float,
    int: BigInteger,
    bool: Boolean,
    datetime: BigInteger,
    str: String,
    ForecastBasis: String,
}


def _types(annotation: Any) -> tuple[set[Any], bool]:
    args = set(get_args(annotation))
    nullable = type(None) in args
    return ({a for a in args if a is not type(None)} or {annotation}), nullable


def test_names_carry_the_prefix_of_their_quantity() -> None:
    assert (GROWTH.name(BYTES), GROWTH.name(INODES)) == (
        "growth_bytes_per_day",
        "inodes_growth_per_day",
    )
    assert all(f.name(INODES).startswith("inodes_") for f in fields_of(INODES))


@pytest.mark.parametrize("quantity", QUANTITIES, ids=lambda q: q.name)
def test_each_schema_has_the_catalogue_fields_in_order(quantity: ForecastQuantity) -> None:
    schema = SCHEMAS[quantity]
    assert list(schema.model_fields) == [f.name(quantity) for f in fields_of(quantity)]


@pytest.mark.parametrize("quantity", QUANTITIES, ids=lambda q: q.name)
def test_each_schema_field_has_the_catalogue_type_and_nullability(
    quantity: ForecastQuantity,
) -> None:
    schema = SCHEMAS[quantity]
    for field in fields_of(quantity):
        info = schema.model_fields[field.name(quantity)]
        kinds, nullable = _types(info.annotation)
        assert kinds == {field.kind}, field.name(quantity)
        assert nullable == field.nullable, field.name(quantity)
        assert info.default == (None if field.nullable else False), field.name(quantity)


def test_the_model_forecast_holds_every_stored_field() -> None:
    attrs = [f.name for f in fields(Forecast)]
    assert attrs == [f.forecast_attr for f in stored_fields(BYTES)]


def test_the_trend_model_has_one_column_per_stored_field() -> None:
    columns = [c.name for c in FILESYSTEM_TREND.columns]
    assert set(columns) == {"filesystem_id", "computed_at", *STORED_COLUMNS}
    for quantity in QUANTITIES:
        for field in stored_fields(quantity):
            column = FILESYSTEM_TREND.c[field.name(quantity)]
            assert column.nullable == field.nullable
            assert getattr(column.type, "length", None) == field.max_length


def test_the_migrated_trend_table_holds_the_catalogue(engine: Engine) -> None:
    migrated = {c["name"]: c for c in inspect(engine).get_columns("filesystem_trend")}
    assert set(migrated) == {"filesystem_id", "computed_at", *STORED_COLUMNS}
    for quantity in QUANTITIES:
        for field in stored_fields(quantity):
            column = migrated[field.name(quantity)]
            assert isinstance(column["type"], STORED_TYPES[field.kind]), field.name(quantity)
            assert column["nullable"] == field.nullable, field.name(quantity)
            if field.max_length is not None:
                assert getattr(column["type"], "length", None) == field.max_length


def test_only_derived_fields_are_left_unstored() -> None:
    assert [f.stem for f in FORECAST_FIELDS if not f.stored] == ["days_until_full"]


def test_the_fill_schema_has_the_fill_fields_in_order_with_their_types() -> None:
    assert list(FilesystemFill.model_fields) == [f.name() for f in FILL_FIELDS]
    for field in FILL_FIELDS:
        info = FilesystemFill.model_fields[field.name()]
        kinds, nullable = _types(info.annotation)
        assert kinds == {field.kind}, field.name()
        assert nullable == field.nullable, field.name()
        assert info.default is None, field.name()
    assert FILL_FIELDS[0].kind is FillSource


def test_fill_fields_are_derived_and_served_wherever_a_filesystem_is() -> None:
    assert not any(f.stored for f in FILL_FIELDS)
    assert not set(f.name() for f in FILL_FIELDS) & set(STORED_COLUMNS)
    for schema in (FilesystemRead, FullestFilesystem):
        assert {f.name() for f in FILL_FIELDS} <= set(schema.model_fields), schema.__name__
