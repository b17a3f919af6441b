"""What a fill-date forecast is based on."""

from enum import StrEnum


class ForecastBasis(StrEnum):
    """Which line the fill date comes from (docs/forecast.md)."""

    # The growth of the level since the last cleanup or resize.
    TREND = "trend"
    # The envelope of a regular daily (or weekly) peak above the level.
    PEAK = "peak"
    # The envelope of the peaks between cleanups that recur on a schedule.
    PRUNE_CYCLE = "prune_cycle"
    # Regular steps up that stay (a full backup landing at once): the step that fills it.
    STEPS = "steps"


class FillSource(StrEnum):
    """Whose fill date a filesystem shows: its own, or the capacity domain's it draws on."""

    # Its own used bytes' growth over its available bytes.
    OWN = "own"
    # The domain's (a pool whose other datasets fill it first): every member fills with it.
    DOMAIN = "domain"
