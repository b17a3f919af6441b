"""Reading drives through a fake smartctl on PATH: first read, then never wake a sleeping disk."""

import itertools
from pathlib import Path

from homelab_agent.collectors.health import HealthCollector
from homelab_agent.drives.collect import HealthReport
from homelab_agent.drives.reader import (
    STANDBY_STATUS,
    Device,
    DriveReader,
    parse_device_entries,
)
from tests.agent.drives.conftest import FakeSmartctl, corpus_file

SEAGATE = str(corpus_file("sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json"))
HGST = str(corpus_file("sat-HGST_Ultrastar_7K6000-HGST_HUS726040ALE614-sdb.json"))
USB = str(corpus_file("sat-Toshiba_X300-TOSHIBA_HDWE160-sdb.json"))


def _clock() -> "itertools.count[int]":
    return itertools.count(1)


def _reader(tmp_path: Path, **kwargs: object) -> DriveReader:
    ticks = itertools.count(1)
    return DriveReader(
        state_path=tmp_path / "state" / "drives-state.json",
        sys_root=tmp_path / "no-sys",
        clock=lambda: f"2026-12-01T00:00:{next(ticks):02d}Z",
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_sleeping_disk_is_never_read_without_nocheck_after_its_first_read(
    fake_smartctl: FakeSmartctl, tmp_path: Path
) -> None:
    fake_smartctl.configure(
        [("/dev/sda", "sat"), ("/dev/sdb", "sat")],
        {
            "/dev/sda": {"file": SEAGATE},
            "/dev/sdb": {"file": HGST, "behaviour": "asleep_after_first"},
        },
    )
    reader = _reader(tmp_path)

    first = {d.device.name: d for d in reader.read_all().drives}
    second = {d.device.name: d for d in reader.read_all().drives}
    # A restarted agent remembers the first read (the state file) and never reads bare again.
    third = {d.device.name: d for d in _reader(tmp_path).read_all().drives}

    assert first["/dev/sdb"].state == "ok"
    assert second["/dev/sdb"].state == "asleep"
    kept, read = second["/dev/sdb"].reading, first["/dev/sdb"].reading
    assert (
        kept is not None and read is not None and kept.model == read.model == "HGST HUS726040ALE614"
    )
    assert second["/dev/sdb"].read_at == first["/dev/sdb"].read_at
    assert second["/dev/sdb"].asleep_since == second["/dev/sdb"].checked_at
    assert third["/dev/sdb"].state == "asleep"
    assert third["/dev/sdb"].asleep_since == second["/dev/sdb"].asleep_since
    calls = fake_smartctl.calls_for("/dev/sdb")
    assert len(calls) == 3
    assert "-n" not in calls[0]
    assert all("-n" in c and f"standby,{STANDBY_STATUS},5" in c for c in calls[1:])
    assert all(c[c.index("-d") : c.index("-d") + 2] == ["-d", "sat"] for c in calls)
    # The awake disk is read each time (with -n, which does not stop a spinning disk).
    assert (
        second["/dev/sda"].state == "ok"
        and second["/dev/sda"].read_at == second["/dev/sda"].checked_at
    )


def test_a_usb_bridge_that_cannot_tell_its_power_mode_keeps_its_cached_data(
    fake_smartctl: FakeSmartctl, tmp_path: Path
) -> None:
    fake_smartctl.configure(
        [("/dev/sdc", "sat")], {"/dev/sdc": {"file": USB, "behaviour": "unknown_power"}}
    )
    reader = _reader(tmp_path)
    reader.read_all()

    again = reader.read_all().drives[0]

    assert again.state == "power_mode_unknown"
    assert again.reading is not None and again.reading.model == "TOSHIBA HDWE160"
    assert again.message is not None and "not read" in again.message


def test_permission_denied_is_a_problem_to_report_and_an_error_state(
    fake_smartctl: FakeSmartctl, tmp_path: Path
) -> None:
    fake_smartctl.configure([("/dev/sdd", "sat")], {"/dev/sdd": {"behaviour": "permission"}})

    result = _reader(tmp_path).read_all()

    assert result.drives[0].state == "error"
    assert result.problems == [
        "smartctl cannot open /dev/sdd: permission denied (run the agent as root or with "
        "CAP_SYS_RAWIO and CAP_SYS_ADMIN)"
    ]


def test_a_device_that_does_not_answer_in_time_is_an_error_and_the_pass_goes_on(
    fake_smartctl: FakeSmartctl, tmp_path: Path
) -> None:
    fake_smartctl.configure(
        [("/dev/sde", "sat"), ("/dev/sda", "sat")],
        {"/dev/sde": {"behaviour": "hang"}, "/dev/sda": {"file": SEAGATE}},
    )

    drives = {d.device.name: d for d in _reader(tmp_path, timeout=1.0).read_all().drives}

    assert drives["/dev/sde"].state == "error"
    assert drives["/dev/sde"].message == "smartctl did not answer within 1 s"
    assert drives["/dev/sda"].state == "ok"


def test_without_smartctl_the_agent_says_so(tmp_path: Path) -> None:
    result = _reader(tmp_path, smartctl=str(tmp_path / "nowhere" / "smartctl")).read_all()
    assert result.drives == []
    assert result.problems == [
        f"smartctl not found ({tmp_path}/nowhere/smartctl): install smartmontools or set `smartctl`"
    ]


def test_a_problem_is_reported_in_one_heartbeat_only() -> None:
    passes = iter([HealthReport(drives=[], problems=["smartctl not found"])] * 2)
    collector = HealthCollector("drives", lambda: next(passes), interval=0.01)
    reports: list[HealthReport] = []
    while len(reports) < 2:
        report = collector.collect()
        if report is not None:
            reports.append(report)
    collector.periodic.stop()

    assert [r.problems for r in reports] == [["smartctl not found"], []]


def test_configured_devices_take_their_type_and_megaraid_survives_comma_splitting(
    fake_smartctl: FakeSmartctl, tmp_path: Path
) -> None:
    # HOMELAB_AGENT_DRIVE_DEVICES="/dev/sda megaraid,0,/dev/sda megaraid,1,/dev/sdx sntjmicron"
    entries = ["/dev/sda megaraid", "0", "/dev/sda megaraid", "1", "/dev/sdx sntjmicron"]
    assert parse_device_entries(entries) == [
        Device("/dev/sda", "megaraid,0"),
        Device("/dev/sda", "megaraid,1"),
        Device("/dev/sdx", "sntjmicron"),
    ]
    fake_smartctl.configure([("/dev/sdx", "sat")], {"/dev/sdx": {"file": USB}})
    reader = _reader(tmp_path, extra_devices=["/dev/sdx sntjmicron"])

    drives = reader.read_all().drives

    assert [(d.device.name, d.device.device_type) for d in drives] == [("/dev/sdx", "sntjmicron")]
    assert fake_smartctl.calls_for("/dev/sdx")[0][-3:] == ["-d", "sntjmicron", "/dev/sdx"]
