"""History tiers and the ranges a chart asks for."""

from datetime import UTC, datetime
from enum import StrEnum

HOUR = 3600
DAY = 86400


# A storage tier of the history: raw samples, hourly or daily buckets. (Enum docstrings would
# reach the OpenAPI document, so these say it in comments.)
class Resolution(StrEnum):
    RAW = "raw"
    HOURLY = "hourly"
    DAILY = "daily"


# How far back a history read looks; the hub picks the tier.
class HistoryRange(StrEnum):
    H1 = "1h"
    H6 = "6h"
    H24 = "24h"
    D7 = "7d"
    D30 = "30d"
    D90 = "90d"
    M12 = "12m"


def floor_to(at: datetime, seconds: int) -> datetime:
    """The start of the `seconds`-wide UTC bucket holding `at`."""
    epoch = int(at.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)
