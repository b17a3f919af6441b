"""ZFS and md parsers on fixtures written from the documented formats (no ZFS or md here)."""

import io
import json
import time
from pathlib import Path

import pytest

from homelab_agent.cli import main
from homelab_agent.pools.md import parse_mdstat, refine_from_sysfs
from homelab_agent.pools.model import leaf_devices
from homelab_agent.pools.zfs import (
    parse_zpool_json,
    parse_zpool_list,
    parse_zpool_status_text,
    read_kstat_states,
)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "pools"


def test_zpool_json_gives_state_vdev_errors_and_the_last_scrub() -> None:
    doc = json.loads((FIXTURES / "zpool_status_degraded.json").read_text())

    (tank,) = parse_zpool_json(doc)

    assert (tank.name, tank.state, tank.degraded, tank.source) == (
        "tank",
        "DEGRADED",
        True,
        "zpool-json",
    )
    assert (tank.size_bytes, tank.allocated_bytes) == (8001563222016, 4398046511104)
    assert tank.scan is not None
    assert (tank.scan.function, tank.scan.state, tank.scan.errors) == ("scrub", "finished", 0)
    assert tank.scan.ended_at == "2025-11-30T02:00:00Z"
    assert tank.scan.repaired_bytes == 65536 and tank.scan.progress_percent == 100.0
    leaves = {d.name: d for d in leaf_devices(tank.devices)}
    assert leaves["wwn-0x5000c500a1b2c3d4-part1"].checksum_errors == 3
    assert leaves["sdd1"].state == "UNAVAIL"
    assert tank.devices[0].children[0].kind == "mirror"


def test_zpool_text_gives_a_running_scrub_the_tree_and_sizes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        sizes = parse_zpool_list((FIXTURES / "zpool_list.txt").read_text())
        tank, rpool = parse_zpool_status_text(
            (FIXTURES / "zpool_status_text.txt").read_text(), sizes
        )
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()

    assert (tank.state, tank.degraded, tank.free_bytes) == ("DEGRADED", True, 3603516710912)
    assert tank.status is not None and tank.status.startswith("One or more devices")
    assert tank.scan is not None
    assert (tank.scan.state, tank.scan.progress_percent) == ("scanning", 25.0)
    assert tank.scan.started_at == "2025-11-30T00:24:01Z"
    assert tank.scan.examined_bytes == 2199023255552
    mirror = tank.devices[0].children[0]
    assert [c.name for c in mirror.children] == ["wwn-0x5000c500a1b2c3d4-part1", "sdd1"]
    assert mirror.children[0].checksum_errors == 3
    assert mirror.children[1].note == "corrupted data"
    assert [d.name for d in tank.devices] == ["tank", "logs"]
    assert tank.data_errors == 0
    assert rpool.scan is not None
    assert (rpool.scan.state, rpool.scan.errors, rpool.scan.ended_at) == (
        "finished",
        0,
        "2025-11-09T00:27:13Z",
    )


def test_kstat_state_files_give_each_pools_state(tmp_path: Path) -> None:
    for pool, state in (("tank", "DEGRADED\n"), ("rpool", "ONLINE\n")):
        (tmp_path / "spl" / "kstat" / "zfs" / pool).mkdir(parents=True)
        (tmp_path / "spl" / "kstat" / "zfs" / pool / "state").write_text(state)

    pools = read_kstat_states(tmp_path)

    assert [(p.name, p.state, p.degraded, p.source) for p in pools] == [
        ("rpool", "ONLINE", False, "kstat"),
        ("tank", "DEGRADED", True, "kstat"),
    ]


def test_mdstat_gives_degraded_arrays_members_and_sync_progress() -> None:
    md0, md1, md2, md3 = parse_mdstat((FIXTURES / "mdstat_degraded_recovering.txt").read_text())

    assert (md0.level, md0.degraded, md0.raid_devices, md0.active_devices) == ("raid1", False, 2, 2)
    assert (md1.degraded, md1.sync_action, md1.sync_progress_percent) == (True, "recover", 12.6)
    assert [(d.name, d.state) for d in md1.devices] == [
        ("sde1", "in_sync"),
        ("sdf1", "faulty"),
        ("sdg1", "in_sync"),
    ]
    assert (md2.degraded, md2.sync_action, md2.sync_progress_percent) == (False, "check", 47.5)
    assert (md3.state, md3.degraded, md3.devices[0].state) == ("inactive", None, "spare")


def test_md_sysfs_refines_state_mismatch_count_and_progress(tmp_path: Path) -> None:
    md = tmp_path / "block" / "md2" / "md"
    (md / "dev-sdh1").mkdir(parents=True)
    (md / "dev-sdi1").mkdir(parents=True)
    files = {
        "array_state": "clean",
        "degraded": "0",
        "sync_action": "check",
        "sync_completed": "231920000 / 976506880",
        "mismatch_cnt": "128",
        "dev-sdh1/state": "in_sync",
        "dev-sdi1/state": "in_sync,write_mostly",
    }
    for name, text in files.items():
        (md / name).write_text(text + "\n")
    md2 = parse_mdstat((FIXTURES / "mdstat_degraded_recovering.txt").read_text())[2]

    refined = refine_from_sysfs(md2, tmp_path)

    assert (refined.state, refined.source, refined.mismatch_count) == ("clean", "sysfs", 128)
    assert refined.sync_progress_percent == 23.75
    assert [d.state for d in refined.devices] == ["in_sync", "in_sync write_mostly"]


def test_pools_command_reads_saved_files() -> None:
    env = {"HOMELAB_AGENT_CONFIG": "", "HOMELAB_AGENT_SERVER_ID": "t"}
    out = io.StringIO()
    code = main(
        [
            "pools",
            "--json",
            "--zpool-status",
            str(FIXTURES / "zpool_status_degraded.json"),
            "--mdstat",
            str(FIXTURES / "mdstat_degraded_recovering.txt"),
        ],
        env=env,
        out=out,
    )

    assert code == 0
    pools = json.loads(out.getvalue())
    assert [(p["kind"], p["name"], p["degraded"]) for p in pools] == [
        ("zfs", "tank", True),
        ("md", "md0", False),
        ("md", "md1", True),
        ("md", "md2", False),
        ("md", "md3", None),
    ]
