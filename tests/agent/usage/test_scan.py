"""Real scans of a tmpfs in a private mount namespace: what is counted, and what is not.

tmpfs gives directories no blocks of their own, so a directory's bytes are exactly the pages its
files occupy; GNU du (`du -s -x -B1`: st_blocks, hard links once, one filesystem) is the
independent reference for the totals.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.agent.usage.namespace import needs_namespace, public_directory, run_in_namespace

pytestmark = needs_namespace
MiB = 1 << 20

# The tree: plain files, a sparse file, a hard link across directories, a nested mount, a
# symlink to a large file elsewhere, a directory only root may read, and awkward names.
BUILD = """
root = sys.argv[1]
mount_tmpfs(root)
write(root + "/media/movies/film.mkv", 3 * 2**20)
write(root + "/media/music/song.flac", 2**20)
with open(root + "/vm/disk.img", "wb") if os.makedirs(root + "/vm") is None else None as h:
    h.truncate(100 * 2**20)  # sparse: 100 MiB apparent
    h.seek(50 * 2**20)
    h.write(b"d" * 4096)     # one page allocated
write(root + "/backup/a/data.bin", 256 * 1024)
os.makedirs(root + "/backup/b")
os.link(root + "/backup/a/data.bin", root + "/backup/b/data.bin")
mount_tmpfs(root + "/media/nested", "16m")
write(root + "/media/nested/other-fs.bin", 2 * 2**20)
os.symlink("/usr", root + "/media/link-to-usr")
write(root + "/private/secret/key.bin", 2**20)
os.chmod(root + "/private/secret", 0o700)
write(root + "/names/with space/f", 8192)
write(root + "/names/new\\nline/f", 4096)
os.makedirs(os.fsencode(root) + b"/names/bad\\xff name")
write(os.fsdecode(os.fsencode(root) + b"/names/bad\\xff name/f"), 12288)
"""

SCAN = (
    BUILD
    + """
as_root = scan_json(root)
as_nobody = as_user(65534, lambda: scan_json(root))
code, text = usage(root)
print(json.dumps({"root": as_root, "nobody": as_nobody, "text": text, "du": du(root)}))
"""
)


@pytest.fixture(scope="module")
def scans() -> Iterator[dict[str, Any]]:
    """One namespace run: the tree scanned as root, as nobody, and printed for people."""
    for base in public_directory():  # nobody must reach the mount
        yield run_in_namespace(SCAN, str(base / "fs"))


def _bytes(scan: dict[str, Any]) -> dict[str, int]:
    return {d["path"]: d["bytes"] for d in scan["directories"]}


def test_a_scan_counts_allocated_bytes_once_on_one_filesystem(scans: dict[str, Any]) -> None:
    scan = scans["root"]
    root = scan["mount_point"]
    sizes = _bytes(scan)

    assert scan["stopped_by"] is None and scan["error"] is None and scan["unreadable"] == 0
    assert scan["total_bytes"] == scans["du"]  # du counts what the scan counts
    assert sizes[root] == scan["total_bytes"]
    # 3 MiB + 1 MiB of media; the nested tmpfs's 2 MiB and the symlinked /usr are not counted.
    assert sizes[f"{root}/media"] == 4 * MiB
    assert not any("nested" in path for path in sizes)
    # The sparse file counts the one page it occupies, not its 100 MiB.
    assert sizes[f"{root}/vm"] == 4096
    # The hard-linked 256 KiB counts once, under whichever link the walk met first.
    assert sizes[f"{root}/backup"] == 256 * 1024
    assert sorted([sizes[f"{root}/backup/a"], sizes[f"{root}/backup/b"]]) == [0, 256 * 1024]


def test_every_directory_is_its_other_bytes_plus_its_listed_children(
    scans: dict[str, Any],
) -> None:
    directories = scans["root"]["directories"]
    paths = [d["path"] for d in directories]
    for d in directories:
        children = [c for c in directories if c["path"].rpartition("/")[0] == d["path"]]
        assert d["bytes"] == d["other_bytes"] + sum(c["bytes"] for c in children)
        if d["path"] != scans["root"]["mount_point"]:  # parents come before their children
            assert paths.index(d["path"].rpartition("/")[0]) < paths.index(d["path"])


def test_a_directory_the_scan_cannot_read_is_counted_unreadable_and_the_scan_goes_on(
    scans: dict[str, Any],
) -> None:
    root, nobody = scans["root"], scans["nobody"]
    secret = f"{root['mount_point']}/private/secret"

    assert nobody["unreadable"] == 1 and root["unreadable"] == 0
    assert _bytes(nobody)[secret] == 0 and _bytes(root)[secret] == MiB
    assert nobody["total_bytes"] == root["total_bytes"] - MiB
    assert _bytes(nobody)[f"{root['mount_point']}/media"] == 4 * MiB  # the rest was scanned


def test_names_are_shown_as_they_are_with_undecodable_bytes_escaped_as_explain_does(
    scans: dict[str, Any],
) -> None:
    names = f"{scans['root']['mount_point']}/names"
    sizes = _bytes(scans["root"])

    assert sizes[f"{names}/with space"] == 8192
    assert sizes[f"{names}/new\nline"] == 4096
    assert sizes[f"{names}/bad\ufffd name"] == 12288
    # The JSON is valid UTF-8 (nothing the hub would refuse), and people see one line a path.
    json.dumps(scans["root"], ensure_ascii=False).encode("utf-8")
    lines = scans["text"].splitlines()
    assert any(line.endswith("  new\\012line") for line in lines)
    assert any(line.endswith("  bad\ufffd name") for line in lines)
    assert any(line.endswith("  with space") for line in lines)


def test_people_see_the_mount_entries_and_duration_then_the_tree_largest_first(
    scans: dict[str, Any],
) -> None:
    scan = scans["root"]
    header, first, *rest = scans["text"].splitlines()
    assert header.startswith(f"{scan['mount_point']}: 5.3 MiB allocated in {scan['entries']:,} ")
    assert header.endswith(f"scanned in {scan['duration_seconds']:.1f} s")
    assert first.split()[:3] == ["5.3", "MiB", scan["mount_point"]]
    # Size column, then two spaces of indent a level: the mount's children, largest first.
    top_level = [line[14:] for line in rest if line[12:14] == "  " and line[14] != " "]
    assert top_level == ["media", "private", "backup", "names", "vm"]
    assert "   3.0 MiB      movies" in rest


TOO_MANY = """
root = sys.argv[1]
mount_tmpfs(root, "512m")
for d in range(200):
    folder = f"{root}/d{d // 20:02d}/e{d:03d}"
    os.makedirs(folder)
    for f in range(1000):
        os.close(os.open(f"{folder}/{f}", os.O_CREAT | os.O_WRONLY))
    write(f"{folder}/payload", 4096 * (d + 1))
whole = scan_json(root)
partial = scan_json(root, "--entry-budget", "50000")
print(json.dumps({"whole": whole, "partial": partial, "du": du(root)}))
"""


def test_200_000_files_are_scanned_within_budget_or_stopped_with_a_partial_result(
    tmp_path: Path,
) -> None:
    result = run_in_namespace(TOO_MANY, str(tmp_path / "fs"))
    whole, partial = result["whole"], result["partial"]

    # 200,200 files and 210 directories below the root.
    assert whole["entries"] == 200_200 + 210 and whole["stopped_by"] is None
    assert whole["total_bytes"] == result["du"] == sum(4096 * (d + 1) for d in range(200))
    assert len(whole["directories"]) == 1 + 10 + 10 * 12  # the largest 12 children of each

    assert partial["stopped_by"] == "entries" and partial["entries"] == 50_000
    assert 0 < partial["total_bytes"] < whole["total_bytes"]
    assert partial["directories"][0]["path"] == whole["mount_point"]
