"""Hard links on a real filesystem: counted once, by device and inode, up to the link budget;
past it, counted at each link and said so (`links_over_budget`)."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from homelab_agent.usage.links import MAX_PENDING_LINKS, LinkTable
from tests.agent.usage.namespace import needs_namespace, run_in_namespace

# An rsnapshot-like tree: 150,000 files of one page, each linked from a second snapshot far
# away in the walk (every first link is pending when the second snapshot is reached).
SNAPSHOTS = """
from homelab_agent.usage.scan import Budgets, scan
root = sys.argv[1]
mount_tmpfs(root, "1g")
for d in range(150):
    os.makedirs(f"{root}/daily.0/d{d:03d}")
    os.makedirs(f"{root}/daily.1/d{d:03d}")
    for f in range(1000):
        name = f"d{d:03d}/f{f:04d}"
        with open(f"{root}/daily.0/{name}", "wb") as handle:
            handle.write(b"x")
        os.link(f"{root}/daily.0/{name}", f"{root}/daily.1/{name}")
whole = scan_json(root)
capped = scan(root, root, budgets=Budgets(links=100_000), mounts=[]).to_dict()
code, text = usage(root)
print(json.dumps({"whole": whole, "capped": capped, "du": du(root), "text": text}))
"""


@needs_namespace
def test_many_hard_links_count_once_and_past_the_budget_the_scan_says_so(tmp_path: Path) -> None:
    result: dict[str, Any] = run_in_namespace(SNAPSHOTS, str(tmp_path / "fs"))
    whole, capped = result["whole"], result["capped"]

    assert whole["total_bytes"] == result["du"] == 150_000 * 4096  # each file once, as du
    assert whole["links_over_budget"] == 0
    assert "link budget" not in result["text"]
    # With room for 100,000 pending files: the 50,000 files met past it are counted at both
    # links (the second finds room again, as the first files' links are met and forgotten);
    # the scan says how many files may count twice.
    assert capped["links_over_budget"] == 50_000
    assert capped["total_bytes"] == (150_000 + 50_000) * 4096


FILL = """
from homelab_agent.usage.links import MAX_PENDING_LINKS, LinkTable
import json

table = LinkTable()
firsts = sum(table.first_link(2049, ino * 7 + 3, 2) is True for ino in range(MAX_PENDING_LINKS))
full = table.first_link(2049, 1, 2)
seconds = sum(table.first_link(2049, ino * 7 + 3, 2) is False for ino in range(MAX_PENDING_LINKS))
print(json.dumps({"firsts": firsts, "full": full,
                  "seconds": seconds, "pending": table.pending,
                  "again": table.first_link(2049, 1, 2), "arrays": table.allocated_bytes}))
"""


def test_a_million_pending_files_fit_the_link_tables_fixed_arrays() -> None:
    done = subprocess.run([sys.executable, "-c", FILL], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)

    assert result["firsts"] == MAX_PENDING_LINKS and result["full"] is None
    assert result["seconds"] == MAX_PENDING_LINKS and result["pending"] == 0
    assert result["again"] is True  # forgotten files made room
    assert result["arrays"] == 24 * (1 << 20)
    # Resident memory is measured by bench/usage.py, never asserted: the arrays' size is the bound.


@pytest.mark.parametrize(
    ("first", "second"),
    [((2049, 5), (2050, 5)), ((1 << 40, 5), (1 << 40, 6)), ((2049, 1 << 60), (2050, 1 << 60))],
)
def test_the_same_inode_number_on_two_devices_is_two_files(
    first: tuple[int, int], second: tuple[int, int]
) -> None:
    table = LinkTable()
    assert table.first_link(*first, 2) is True
    assert table.first_link(*second, 2) is True  # a btrfs subvolume has inode 256 again
    assert table.first_link(*first, 2) is False
    assert table.first_link(*second, 2) is False
