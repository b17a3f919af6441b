"""Golden `drives` and `pools` produced by the agent from fixtures (the wire format of ADR 0004).

The hub half reads these files as the reference example. Regenerate after a deliberate change
with `HOMELAB_UPDATE_GOLDEN=1 pytest tests/contract/test_drive_pool_golden.py` and review the diff.
"""

import json
import os
import subprocess
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from homelab_agent.agent import build_heartbeat
from homelab_agent.collectors import Collector
from homelab_agent.config import AgentConfig
from homelab_agent.drives.collect import HealthReport, place_all
from homelab_agent.drives.reader import DriveReader
from homelab_agent.pools.reader import PoolReader
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from tests.agent.drives.conftest import corpus_file, install_fake_smartctl
from tests.agent.drives.fake_host import make_host

HERE = Path(__file__).parent
POOL_FIXTURES = HERE.parent / "agent" / "fixtures" / "pools"
UPDATE = os.environ.get("HOMELAB_UPDATE_GOLDEN") == "1"


def _compare(name: str, produced: Any) -> None:
    path = HERE / name
    text = json.dumps(produced, indent=2, ensure_ascii=False) + "\n"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == produced, f"{name} drifted"


def _fake_zpool(argv: Sequence[str], timeout: float) -> "subprocess.CompletedProcess[str]":
    doc = (POOL_FIXTURES / "zpool_status_degraded.json").read_text(encoding="utf-8")
    return subprocess.CompletedProcess(list(argv), 0, doc, "")


class _Fixed:
    def __init__(self, report: HealthReport) -> None:
        self.report = report

    def collect(self) -> HealthReport:
        return self.report


def _host(tmp_path: Path) -> AgentConfig:
    sys_root, proc_root, rootfs = make_host(tmp_path)
    (proc_root / "mdstat").write_text(
        (POOL_FIXTURES / "mdstat_degraded_recovering.txt").read_text()
    )
    (proc_root / "spl" / "kstat" / "zfs" / "tank").mkdir(parents=True)
    (proc_root / "spl" / "kstat" / "zfs" / "tank" / "state").write_text("DEGRADED\n")
    return AgentConfig(
        server_id="golden-host",
        hostname="golden-host",
        proc_root=proc_root,
        sys_root=sys_root,
        rootfs=rootfs,
        spool_dir=tmp_path / "spool",
        fstab="off",
    )


def test_golden_drives_and_pools_validate_and_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _host(tmp_path)
    fake_smartctl = install_fake_smartctl(tmp_path, monkeypatch)
    fake_smartctl.configure(
        [("/dev/sda", "sat"), ("/dev/sdb", "sat"), ("/dev/nvme0", "nvme"), ("/dev/sdc", "sat")],
        {
            "/dev/sda": {
                "file": str(corpus_file("sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json"))
            },
            "/dev/sdb": {
                "file": str(corpus_file("sat-HGST_Ultrastar_7K6000-HGST_HUS726040ALE614-sdb.json")),
                "behaviour": "asleep_after_first",
            },
            "/dev/nvme0": {
                "file": str(corpus_file("nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json"))
            },
            "/dev/sdc": {"file": str(corpus_file("SEAGATE_ST373453LC_26.json"))},
        },
    )
    hour = ["00"]
    reader = DriveReader(
        state_path=config.spool_dir / "drives-state.json",
        sys_root=config.sys_root,
        clock=lambda: f"2026-12-01T{hour[0]}:00:00Z",
    )
    reader.read_all()  # the first pass reads every disk once
    hour[0] = "01"
    second = reader.read_all()
    pools = PoolReader(
        proc_root=config.proc_root,
        sys_root=config.sys_root,
        zpool="/fake/zpool",
        btrfs="/fake/no-btrfs",
        run=_fake_zpool,
    ).read()
    drives = place_all(config, second.drives, pools.pools)
    collectors: dict[str, Collector] = {
        "drives": _Fixed(HealthReport(drives=drives, problems=second.problems)),
        "pools": _Fixed(HealthReport(pools=pools.pools, problems=pools.problems)),
    }
    body = json.loads(build_heartbeat(config, collectors).to_json())

    HeartbeatRequest.model_validate(body)  # an older hub ignores what it does not know
    _compare("drives_golden.json", body["drives"])
    _compare("pools_golden.json", body["pools"])
    states = {d["name"]: d["state"] for d in body["drives"]}
    assert states == {
        "/dev/sda": "ok",
        "/dev/sdb": "asleep",
        "/dev/nvme0": "ok",
        "/dev/sdc": "ok",
        "/dev/vda": "no_smart",
    }
    assert body["collector_errors"] is None
    assert [asdict(d)["name"] for d in drives] == list(states)
