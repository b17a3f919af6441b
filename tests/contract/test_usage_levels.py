"""The usage levels of tests/contract/usage_levels.json, run against the hub's rule.

The same table runs against the UI's rule in frontend/src/lib/thresholds.test.ts, so the colours
the UI paints and the alerts the hub fires cannot drift apart. The hub is the source of truth:
when the two disagree, the UI is fixed.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from homelab_cmd.domain.alerts import MountPolicy, Severity, disk_severity, fill_severity

TABLE = json.loads((Path(__file__).parent / "usage_levels.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = TABLE["cases"]
LEVEL_KEYS = {
    "mode",
    "warn_percent",
    "crit_percent",
    "warn_free_bytes",
    "crit_free_bytes",
    "warn_days",
    "crit_days",
}
FILESYSTEM_KEYS = {
    "percent",
    "total_bytes",
    "used_bytes",
    "available_bytes",
    "days_until_full",
    "confident",
    "state",
}


def _policy(levels: dict[str, Any]) -> MountPolicy:
    # As the hub builds a mount's policy from its settings: the built-in levels, overridden.
    return MountPolicy().overridden(levels)


def _level(severity: Severity | None) -> str:
    return "ok" if severity is None else severity.value


def _sized(case: dict[str, Any]) -> bool:
    fs = case["filesystem"]
    return fs["used_bytes"] is not None and fs["available_bytes"] is not None


# The hub judges used space from the bytes: a case without them is the UI's alone.
USAGE_CASES = [c for c in CASES if "usage" in c["expected"] and _sized(c)]
FILL_CASES = [c for c in CASES if "fill" in c["expected"]]


def _name(case: dict[str, Any]) -> str:
    return str(case["name"])


def test_the_table_is_well_formed() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names are unique"
    assert len(USAGE_CASES) >= 20
    assert len(FILL_CASES) >= 20
    for case in CASES:
        assert set(case["levels"]) == LEVEL_KEYS, case["name"]
        assert set(case["filesystem"]) == FILESYSTEM_KEYS, case["name"]
        assert case["expected"], case["name"]
        assert set(case["expected"]) <= {"usage", "fill", "urgency"}, case["name"]
        assert set(case["expected"].values()) <= {"ok", "warning", "critical"}, case["name"]


@pytest.mark.parametrize("case", USAGE_CASES, ids=_name)
def test_used_space_level(case: dict[str, Any]) -> None:
    fs = case["filesystem"]
    severity = disk_severity(_policy(case["levels"]), fs["used_bytes"], fs["available_bytes"], None)
    assert _level(severity) == case["expected"]["usage"]


@pytest.mark.parametrize("case", FILL_CASES, ids=_name)
def test_time_to_full_level(case: dict[str, Any]) -> None:
    fs = case["filesystem"]
    # The hub hands the rule a forecast only when it is confident.
    days_left = fs["days_until_full"] if fs["confident"] else None
    severity = fill_severity(_policy(case["levels"]), days_left, None)
    assert _level(severity) == case["expected"]["fill"]
