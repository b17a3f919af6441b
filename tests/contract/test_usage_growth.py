"""The growth naming cases of tests/contract/usage_growth.json, run against the hub's rule.

The same table runs against the UI's rule in frontend/src/features/usage/growth.test.ts, so the
directories "What grew" shows and those the alert message and the weekly report name cannot
drift apart. The hub is the source of truth: when the two disagree, the UI is fixed.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from homelab_cmd.domain.usage import growth, where_it_happened

TABLE = json.loads((Path(__file__).parent / "usage_growth.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = TABLE["cases"]
# Sizes before the change: large enough that every case's shrink leaves a size.
BEFORE = 10**12


def test_the_table_has_its_cases() -> None:
    assert len(CASES) >= 10
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_each_change_is_named_once_where_it_happened(case: dict[str, Any]) -> None:
    # As the hub's callers do: the growth between two scans, then the naming rule.
    then = [(path, BEFORE) for path, _ in case["changes"]]
    now = [(path, BEFORE + change) for path, change in case["changes"]]

    named = where_it_happened(growth(then, now), case["mount_point"])

    assert [g.path for g in named] == case["named"]
