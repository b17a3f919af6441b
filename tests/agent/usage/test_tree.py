"""The tree a scan keeps: largest first, and small enough for a heartbeat however long the names."""

import json
import subprocess
from pathlib import Path

from homelab_agent.usage.scan import Budgets, scan
from homelab_agent.usage.tree import MAX_WIRE_BYTES
from tests.agent.usage.trees import long_named_tree


def _du_every_directory(root: Path) -> dict[str, int]:
    """Each directory's allocated bytes as GNU du counts them, named as the scan names them."""
    out = subprocess.run(
        ["du", "-B1", "-x", "-0", str(root)], capture_output=True, check=True
    ).stdout.decode()
    sizes = {}
    for line in filter(None, out.split("\0")):
        size, path = line.split("\t", 1)
        sizes["/srv" + path.removeprefix(str(root))] = int(size)
    return sizes


def test_deep_trees_of_long_names_stay_small_enough_and_keep_the_largest(tmp_path: Path) -> None:
    long_named_tree(tmp_path)
    result = scan(str(tmp_path), "/srv")
    wire = json.dumps(result.to_dict(), ensure_ascii=False).encode()
    every = _du_every_directory(tmp_path)
    kept = {d.path: d for d in result.directories}

    assert len(wire) <= MAX_WIRE_BYTES + 1024  # the directories' budget, and the scan's fields
    assert 100 < len(kept) < 1000  # a tree of short names would keep 1,000
    assert {p: d.bytes for p, d in kept.items()} == {p: every[p] for p in kept}
    for d in kept.values():
        children = [c for p, c in kept.items() if p.rpartition("/")[0] == d.path]
        assert d.bytes == d.other_bytes + sum(c.bytes for c in children)
    # Largest first: no directory left out is larger than the smallest one sent.
    left_out = [size for path, size in every.items() if path not in kept]
    assert max(left_out) <= min(d.bytes for d in kept.values())


def test_a_directory_keeps_its_largest_children_and_the_scan_its_largest_directories(
    tmp_path: Path,
) -> None:
    long_named_tree(tmp_path)
    result = scan(str(tmp_path), "/srv", budgets=Budgets(max_children=3, max_nodes=20))
    every = _du_every_directory(tmp_path)
    kept = {d.path: d.bytes for d in result.directories}

    assert len(kept) == 20
    assert kept == {p: every[p] for p in kept}
    top = sorted((p for p in every if p.count("/") == 2), key=lambda p: -every[p])
    assert [p for p in kept if p.count("/") == 2] == top[:3]  # /srv's three largest, in order
