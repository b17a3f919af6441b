"""The forecast-field catalogue: each field of a fill forecast declared once, the rest derives.

A filesystem has two fill forecasts, of its bytes and of its inodes, made by the same model
(docs/forecast.md). One entry here names a field, its type, whether it may be null and its unit;
each forecast quantity spells it under its own prefix (`full_at`, `inodes_full_at`). From
`FORECAST_FIELDS` derive: the `filesystem_trend` columns (`db/models/filesystem_trend.py`), the
stored trend row and its read-back (`services/forecast/trends.py`), and the columns the alert
pass reads (`services/alerts/rows.py`). The API's `FilesystemForecast` and `InodeForecast`
stay written out for their descriptions; `tests/domain/test_forecast_fields.py` fails when they,
the model's `Forecast` or the migrations disagree with this catalogue. `FILL_FIELDS` say whose
fill date a filesystem shows, its own or its capacity domain's (`services/fleet/capacity.py`),
and are checked against the API's `FilesystemFill` the same way.
"""

from dataclasses import dataclass
from datetime import datetime

from homelab_cmd.domain.forecast import FillSource, ForecastBasis


# eq=False: each quantity is one of the two below, so identity is its equality, and the tables
# keyed by quantity (read for every mount of every alert pass) hash it without a Python call.
@dataclass(frozen=True, eq=False)
class ForecastQuantity:
    """What a forecast counts: its fields' prefix, and the unit a growth field names."""

    name: str
    prefix: str
    # Inserted where a field's stem says `{unit}`: bytes are measured, inodes counted.
    unit_infix: str


BYTES = ForecastQuantity("bytes", prefix="", unit_infix="_bytes")
INODES = ForecastQuantity("inodes", prefix="inodes_", unit_infix="")
QUANTITIES = (BYTES, INODES)


@dataclass(frozen=True)
class ForecastField:
    """One field of a fill forecast.

    `stem` is the name without the quantity's prefix, `{unit}` marking where the quantity's unit
    goes. `stored` fields are `filesystem_trend` columns; the others are derived when read.
    `bytes_only` fields have no inode counterpart. `attr` is the model's `Forecast` attribute
    the stored value comes from (default: the bytes name). `whole` values are served rounded.
    """

    stem: str
    kind: type
    nullable: bool = True
    unit: str | None = None
    max_length: int | None = None
    stored: bool = True
    bytes_only: bool = False
    attr: str | None = None
    whole: bool = False

    def name(self, quantity: ForecastQuantity = BYTES) -> str:
        """The field's name in this quantity's forecast."""
        return quantity.prefix + self.stem.format(unit=quantity.unit_infix)

    @property
    def forecast_attr(self) -> str:
        """The attribute of the model's `Forecast` that holds the value."""
        return self.attr or self.name(BYTES)

    def kept_for(self, quantity: ForecastQuantity) -> bool:
        """Whether this quantity's forecast has the field."""
        return quantity is BYTES or not self.bytes_only


GROWTH = ForecastField("growth{unit}_per_day", float, unit="{quantity}/day", whole=True)
FULL_AT = ForecastField("full_at", datetime, unit="instant")
FULL_AT_EARLIEST = ForecastField("full_at_earliest", datetime, unit="instant")
FULL_AT_LATEST = ForecastField("full_at_latest", datetime, unit="instant")
CONFIDENT = ForecastField("confident", bool, nullable=False)
BASIS = ForecastField("forecast_basis", ForecastBasis, max_length=16, bytes_only=True, attr="basis")
REASON = ForecastField("forecast_reason", str, max_length=120, attr="reason")
PEAK_HEADROOM = ForecastField("peak_headroom_bytes", int, unit="bytes", bytes_only=True)
DAYS_UNTIL_FULL = ForecastField("days_until_full", float, unit="days", stored=False)

# In the order of the API's fields (and of the stored columns, bytes first).
FORECAST_FIELDS: tuple[ForecastField, ...] = (
    GROWTH,
    FULL_AT,
    FULL_AT_EARLIEST,
    FULL_AT_LATEST,
    CONFIDENT,
    BASIS,
    REASON,
    PEAK_HEADROOM,
    DAYS_UNTIL_FULL,
)
# The fields the alert pass reads: a confident fill date and its range, and the growth its
# capacity domain's date adds up.
ALERT_FIELDS = (GROWTH, FULL_AT, FULL_AT_EARLIEST, FULL_AT_LATEST, CONFIDENT)

# Whose fill date a filesystem shows, derived when read (never stored): its own, or that of the
# capacity domain it shares with other filesystems when the domain fills first.
FILL_SOURCE = ForecastField("fill_source", FillSource, stored=False, bytes_only=True)
FILL_DOMAIN = ForecastField("fill_domain", str, stored=False, bytes_only=True)
FILL_DOMAIN_LABEL = ForecastField("fill_domain_label", str, stored=False, bytes_only=True)
OWN_FULL_AT = ForecastField("own_full_at", datetime, unit="instant", stored=False, bytes_only=True)
FILL_FIELDS = (FILL_SOURCE, FILL_DOMAIN, FILL_DOMAIN_LABEL, OWN_FULL_AT)


def fields_of(quantity: ForecastQuantity) -> tuple[ForecastField, ...]:
    """The fields of this quantity's forecast, in order."""
    return tuple(f for f in FORECAST_FIELDS if f.kept_for(quantity))


def stored_fields(quantity: ForecastQuantity) -> tuple[ForecastField, ...]:
    """The fields of this quantity's forecast that `filesystem_trend` stores."""
    return tuple(f for f in fields_of(quantity) if f.stored)


def stored_names(quantity: ForecastQuantity) -> tuple[str, ...]:
    """The `filesystem_trend` columns of this quantity's forecast, in order."""
    return tuple(f.name(quantity) for f in stored_fields(quantity))


# Every stored forecast column: the bytes', then the inodes'.
STORED_COLUMNS = stored_names(BYTES) + stored_names(INODES)
