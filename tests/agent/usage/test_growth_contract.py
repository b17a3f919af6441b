"""The growth naming cases of tests/contract/usage_growth.json, run against the agent's
`usage --since` (usage/diff.py), as the hub's and the UI's rules run them: the directories the
agent prints, the alert message names and "What grew" shows cannot drift apart."""

import json
from pathlib import Path
from typing import Any

import pytest

from homelab_agent.usage.diff import growth, where_it_happened

TABLE = Path(__file__).parents[2] / "contract" / "usage_growth.json"
CASES: list[dict[str, Any]] = json.loads(TABLE.read_text(encoding="utf-8"))["cases"]
BEFORE = 10**12  # sizes before the change: every case's shrink leaves a size


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_each_change_is_named_once_where_it_happened(case: dict[str, Any]) -> None:
    then = {path: BEFORE for path, _ in case["changes"]}
    now = {path: BEFORE + change for path, change in case["changes"]}

    named = where_it_happened(growth(then, now), case["mount_point"])

    assert [g.path for g in named] == case["named"]
