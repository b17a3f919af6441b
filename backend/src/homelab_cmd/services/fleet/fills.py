"""When shared storage fills: a capacity domain's forecast from its members', and each member's
fill date, its own or the domain's when that comes first (docs/forecast.md).

The datasets of a ZFS pool draw on one pool of free space. Each one's own forecast divides that
free space by its own growth only, so three datasets growing 3, 2 and 0 GiB a day of a pool with
860 GiB free say 287 days, 430 days and never, while the pool fills in 172. A filesystem that
shares its domain with others therefore takes the domain's date when it is the earlier one, and
says so; the domain's parents count too (a quota dataset inside a pool fills when the pool does,
unless its quota fills first). The reads, the fleet list, the alert pass and /metrics all take
it from here.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homelab_cmd.domain.forecast import FillSource, ForecastBasis
from homelab_cmd.domain.forecast_fields import (
    BASIS,
    CONFIDENT,
    DAYS_UNTIL_FULL,
    FILL_DOMAIN,
    FILL_DOMAIN_LABEL,
    FILL_SOURCE,
    FULL_AT,
    FULL_AT_EARLIEST,
    FULL_AT_LATEST,
    GROWTH,
    OWN_FULL_AT,
    PEAK_HEADROOM,
    REASON,
)
from homelab_cmd.services.forecast.model import MAX_DAYS_UNTIL_FULL

# Domains whose mounts each count their own bytes (the datasets of a ZFS pool): the domain grows
# by their sum. In the others every mount shows the whole filesystem (btrfs subvolumes, binds,
# one export mounted twice): the domain grows as its fastest mount says, never by their sum.
SUMMED_KINDS = frozenset({"zfs_pool", "zfs_dataset"})
# A domain in words, by kind: "pool tank", "share nas:/export".
_KIND_WORDS = {
    "zfs_pool": "pool",
    "zfs_dataset": "quota",
    "btrfs": "btrfs",
    "device": "device",
    "network": "share",
    "union": "union",
    "filesystem": "filesystem",
}
# The fields a filesystem takes from its domain when the domain's date wins.
_TAKEN = tuple(
    f.name() for f in (FULL_AT, FULL_AT_EARLIEST, FULL_AT_LATEST, CONFIDENT, DAYS_UNTIL_FULL)
)
# The bytes forecast's names, spelled once: every filesystem of every read is dated here.
_GROWTH = GROWTH.name()
_FULL_AT = FULL_AT.name()
_EARLIEST = FULL_AT_EARLIEST.name()
_LATEST = FULL_AT_LATEST.name()
_CONFIDENT = CONFIDENT.name()
_BASIS = BASIS.name()
_REASON = REASON.name()
_PEAK_HEADROOM = PEAK_HEADROOM.name()
_SOURCE = FILL_SOURCE.name()
_DOMAIN = FILL_DOMAIN.name()
_LABEL = FILL_DOMAIN_LABEL.name()
_OWN_FULL_AT = OWN_FULL_AT.name()


@dataclass(frozen=True)
class Rate:
    """Growth of what draws on a domain, bytes a day, with the range its members' dates give.

    `measured`: some member has a growth figure (else the domain's growth is unknown).
    `doubtful`: some member has none yet, or a date that is not confident. `sure`: some member
    has a confident date. A domain's date is confident only when sure and not doubtful.
    """

    rate: float = 0.0
    low: float = 0.0
    high: float = 0.0
    measured: bool = False
    doubtful: bool = False
    sure: bool = False

    def __add__(self, other: "Rate") -> "Rate":
        return Rate(
            self.rate + other.rate,
            self.low + other.low,
            self.high + other.high,
            self.measured or other.measured,
            self.doubtful or other.doubtful,
            self.sure or other.sure,
        )


NOTHING = Rate()
UNMEASURED = Rate(doubtful=True)


def _scaled(
    rate: float, left: float, until: datetime | None, now: datetime, default: float
) -> float:
    """The rate that would move the member's fill date to `until` (an end of its range)."""
    if until is None:
        return default
    span = (until - now).total_seconds()
    return rate * left / span if span > 0 else math.inf


def member_rate(forecast: Mapping[str, Any], now: datetime) -> Rate:
    """A filesystem's own growth, with the range of rates its own range of dates stands for."""
    rate = forecast.get(_GROWTH)
    if rate is None:
        return UNMEASURED
    rate = float(rate)
    full_at = forecast.get(_FULL_AT)
    left = (full_at - now).total_seconds() if full_at is not None else 0.0
    if rate <= 0 or left <= 0:  # not growing, or full already: no range to speak of
        return Rate(rate, rate, rate, measured=True)
    confident = bool(forecast.get(_CONFIDENT))
    return Rate(
        rate,
        _scaled(rate, left, forecast.get(_LATEST), now, default=0.0),
        _scaled(rate, left, forecast.get(_EARLIEST), now, default=rate),
        measured=True,
        doubtful=not confident,
        sure=confident,
    )


def combined(kind: str | None, parts: Sequence[Rate]) -> Rate:
    """A domain's own growth from its members': summed for datasets, else the fastest mount."""
    if not parts:
        return NOTHING
    if kind in SUMMED_KINDS:
        total = NOTHING
        for part in parts:
            total += part
        return total
    # Every mount shows the whole filesystem: the fastest one's figures are the domain's, and a
    # mount without history yet leaves nothing unknown.
    return max(parts, key=lambda part: (part.measured, part.rate))


def _full_at(available: int | None, rate: float, now: datetime) -> datetime | None:
    if available is None or rate <= 0:
        return None
    days = available / rate
    return None if days > MAX_DAYS_UNTIL_FULL else now + timedelta(days=days)


def domain_trend(available: int | None, growth: Rate, now: datetime) -> dict[str, Any]:
    """A domain's trend: its free bytes over its growth, the range over its growth's range."""
    if not growth.measured:
        return {_GROWTH: None}
    full_at = _full_at(available, growth.rate, now)
    if full_at is None:
        return {_GROWTH: growth.rate}
    earliest = min(_full_at(available, growth.high, now) or full_at, full_at)
    latest = _full_at(available, growth.low, now)
    latest = None if latest is None else max(latest, full_at)
    confident = (
        growth.sure
        and not growth.doubtful
        and latest is not None
        and latest - earliest <= full_at - now
    )
    return {
        _GROWTH: growth.rate,
        _FULL_AT: full_at,
        _EARLIEST: earliest,
        _LATEST: latest,
        _CONFIDENT: confident,
    }


def domain_words(domain: Mapping[str, Any]) -> str:
    """The domain in words: 'pool tank', 'btrfs /dev/sdb', 'share nas:/export'."""
    key = str(domain["key"])
    word = _KIND_WORDS.get(str(domain.get("kind")))
    name = key.split(":", 1)[1] if ":" in key else key
    return f"{word} {name}" if word and name else key


def _domain_first(forecast: Mapping[str, Any], domain: Mapping[str, Any]) -> bool:
    at = domain.get(_FULL_AT)
    if at is None:
        return False
    # A domain that grows no faster than this filesystem alone holds nothing its own date does
    # not already say (its only mount, or the fastest mount of one filesystem).
    if (domain.get(_GROWTH) or 0.0) <= (forecast.get(_GROWTH) or 0.0):
        return False
    own = forecast.get(_FULL_AT)
    return own is None or at < own


def fill_fields(
    forecast: Mapping[str, Any], domains: Sequence[Mapping[str, Any]] | None
) -> dict[str, Any]:
    """A filesystem's forecast fields with its fill date: its own, or the earliest of its
    domains' (`domains`: its domain, then that domain's parent and so on up the chain, each with
    its trend; empty or None when it has none) when that comes first, labelled with the domain
    that wins. When the pool is full every dataset in it is: a quota dataset keeps its own date
    only when that is the earlier one."""
    own_at = forecast.get(_FULL_AT)
    first = [d for d in domains if _domain_first(forecast, d)] if domains else None
    if not first:
        return {
            **forecast,
            _SOURCE: None if own_at is None else FillSource.OWN,
            _DOMAIN: None,
            _LABEL: None,
            _OWN_FULL_AT: own_at,
        }
    # The earliest date wins; on a tie the nearest domain names it.
    domain = min(first, key=lambda d: d[_FULL_AT])
    label = domain_words(domain)
    return {
        **forecast,
        **{name: domain.get(name) for name in _TAKEN},
        # The domain's date is a plain trend of its members' growth; the filesystem's own
        # cycle or steps no longer date it.
        _BASIS: ForecastBasis.TREND,
        _REASON: f"fills with {label}",
        _PEAK_HEADROOM: None,
        _SOURCE: FillSource.DOMAIN,
        _DOMAIN: domain["key"],
        _LABEL: label,
        _OWN_FULL_AT: own_at,
    }
