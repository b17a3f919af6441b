"""Where a scan stops is the mount table's word, on real filesystems in a private namespace.

A btrfs subvolume has a device number of its own without being mounted: its bytes are the
filesystem's and are counted. A bind mount of the same filesystem inside the tree has the same
device number: it is a mount point and is not entered (its bytes are counted once, where they
are). A real btrfs on a loop device (btrfs-progs, `make disk-tools`) and tmpfs; GNU du is the
reference where it agrees (it stops at device changes, so not for subvolumes).
"""

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.agent.usage.namespace import needs_namespace, run_in_namespace

pytestmark = needs_namespace
MiB = 1 << 20

BTRFS = """
root, image = sys.argv[1], sys.argv[2]
with open(image, "wb") as handle:
    handle.truncate(256 * 2**20)
subprocess.run(["mkfs.btrfs", "-q", "-f", image], check=True, capture_output=True)
os.makedirs(root)
subprocess.run(["mount", "-o", "loop", image, root], check=True)
write(root + "/etc/config", 2**20)
subprocess.run(["btrfs", "-q", "subvolume", "create", root + "/docker"], check=True)
write(root + "/docker/btrfs/subvolumes/abc/layer.bin", 20 * 2**20)
os.sync()
whole = scan_json(root)
print(json.dumps({"scan": whole, "docker_dev": os.lstat(root + "/docker").st_dev,
                  "root_dev": os.lstat(root).st_dev}))
"""


@pytest.mark.skipif(shutil.which("mkfs.btrfs") is None, reason="needs btrfs-progs")
def test_a_btrfs_subvolume_that_is_not_mounted_is_counted(tmp_path: Path) -> None:
    result = run_in_namespace(BTRFS, str(tmp_path / "fs"), str(tmp_path / "btrfs.img"))
    scan = result["scan"]
    root = scan["mount_point"]
    sizes = {d["path"]: d["bytes"] for d in scan["directories"]}

    assert result["docker_dev"] != result["root_dev"]  # a device of its own, and no mount
    assert scan["error"] is None and scan["stopped_by"] is None
    assert sizes[f"{root}/docker"] >= 20 * MiB  # data, plus the subvolume's own metadata
    assert sizes[f"{root}/docker/btrfs/subvolumes/abc"] >= 20 * MiB
    assert scan["total_bytes"] >= 21 * MiB


BIND = """
root = sys.argv[1]
mount_tmpfs(root)
write(root + "/data/big.bin", 8 * 2**20)
os.makedirs(root + "/elsewhere")
subprocess.run(["mount", "--bind", root + "/data", root + "/elsewhere"], check=True)
write(root + "/conf/app.conf", 4096)
write(root + "/conf/shadowed.conf", 3 * 4096)
write(root + "/other.conf", 4096)
subprocess.run(["mount", "--bind", root + "/other.conf", root + "/conf/shadowed.conf"], check=True)
print(json.dumps({"scan": scan_json(root)}))
"""


def test_a_bind_mount_of_the_same_filesystem_is_not_counted_twice(tmp_path: Path) -> None:
    scan: dict[str, Any] = run_in_namespace(BIND, str(tmp_path / "fs"))["scan"]
    root = scan["mount_point"]
    sizes = {d["path"]: d["bytes"] for d in scan["directories"]}

    assert sizes[f"{root}/data"] == 8 * MiB
    assert f"{root}/elsewhere" not in sizes or sizes[f"{root}/elsewhere"] == 0
    # A file bind-mounted over another: the mount point is not counted (its bytes are the
    # file it shows, counted where that file is); the file under it is hidden from the walk.
    assert sizes[f"{root}/conf"] == 4096
    assert scan["total_bytes"] == 8 * MiB + 4096 + 4096
