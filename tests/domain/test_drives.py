"""Drive health: every saved smartctl output of the corpus judged at first sight, and the rules
after it (increase since the baseline, rates, acknowledgement)."""

import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from homelab_agent.drives.collect import drive_sample
from homelab_agent.drives.reader import Device, DriveResult
from homelab_agent.drives.smart import parse_reading
from homelab_agent.drives.topology import Placement
from homelab_cmd.domain.drives import DriveHealth, Previous, Reading, Verdict, judge
from homelab_cmd.schemas.drive import DriveReport
from homelab_cmd.services.drives.judgment import reading_of

SMART_CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "smart"
EXPECTED = json.loads((Path(__file__).parent / "smart_expected.json").read_text("utf-8"))
FILES = sorted(p.name for p in SMART_CORPUS.glob("*.json"))
AT = datetime(2026, 12, 1, tzinfo=UTC)


def corpus_drive(name: str) -> DriveReport:
    """One saved smartctl output through the agent's parser, as the hub receives it."""
    reading = parse_reading(json.loads((SMART_CORPUS / name).read_text("utf-8")))
    result = DriveResult(
        Device(reading.name, reading.device_type),
        "ok",
        "2026-12-01T00:00:00Z",
        reading,
        read_at="2026-12-01T00:00:00Z",
    )
    return DriveReport.model_validate(asdict(drive_sample(result, Placement())))


def first_sight(drive: DriveReport) -> Verdict:
    """A drive the hub has never seen: its reading is its own baseline."""
    reading = reading_of(drive)
    return judge(reading, reading.counts)


def test_every_corpus_file_has_an_expected_verdict() -> None:
    assert len(FILES) == 168
    assert sorted(EXPECTED) == FILES


@pytest.mark.parametrize("name", FILES)
def test_corpus_drive_is_judged_as_expected_at_first_sight(name: str) -> None:
    verdict = first_sight(corpus_drive(name))

    assert verdict.health == EXPECTED[name]["expected"], verdict.reasons
    assert (verdict.health is DriveHealth.PASSED) == (not verdict.reasons)


def test_corpus_summary_table(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [(name, EXPECTED[name]["expected"], first_sight(corpus_drive(name))) for name in FILES]
    with capsys.disabled():
        print(f"\n{'file':70} {'expected':9} {'got':9} reasons")
        for name, expected, got in rows:
            print(f"{name[:70]:70} {expected:9} {got.health:9} {'; '.join(got.reasons)}")
        counts: dict[str, int] = {}
        for _, _, got in rows:
            counts[got.health] = counts.get(got.health, 0) + 1
        print("verdicts:", counts)
    assert all(expected == got.health for _, expected, got in rows)


def _reading(at: datetime = AT, **counts: int) -> Reading:
    return Reading(state="ok", read_at=at, smart_passed=True, counts=counts)


def test_a_stable_old_reallocated_count_under_its_level_stays_passed() -> None:
    verdict = judge(_reading(ata_5=8), {"ata_5": 8}, Previous({"ata_5": 8}, AT))

    assert verdict.health is DriveHealth.PASSED


def test_reallocated_count_rising_past_its_baseline_warns_with_the_figures() -> None:
    verdict = judge(
        _reading(AT + timedelta(hours=1), ata_5=12), {"ata_5": 8}, Previous({"ata_5": 8}, AT)
    )

    assert verdict.health is DriveHealth.WARNING
    assert verdict.reasons == ["reallocated sectors (5) rose from 8 to 12 since first seen"]


def test_a_fast_or_large_increase_is_a_failing_drive() -> None:
    fast = judge(_reading(ata_197=11), {"ata_197": 0}, Previous({"ata_197": 0}, AT))
    large = judge(_reading(ata_5=150), {"ata_5": 40}, Previous({"ata_5": 145}, AT))

    assert fast.health is DriveHealth.FAILED
    assert "(11 since the previous reading)" in fast.reasons[0]
    assert large.health is DriveHealth.FAILED


def test_command_timeouts_warn_as_a_rate_not_as_a_level() -> None:
    old = judge(_reading(ata_188=5000), {"ata_188": 5000}, None)
    slow = judge(
        _reading(AT + timedelta(hours=2), ata_188=5100), {}, Previous({"ata_188": 5000}, AT)
    )
    burst = judge(
        _reading(AT + timedelta(hours=1), ata_188=5300), {}, Previous({"ata_188": 5000}, AT)
    )

    assert (old.health, slow.health) == (DriveHealth.PASSED, DriveHealth.PASSED)
    assert burst.health is DriveHealth.WARNING
    assert burst.reasons == ["command timeouts (188): 300 an hour (warns from 100)"]


def test_an_acknowledged_warning_stays_quiet_until_its_count_changes() -> None:
    acknowledged = judge(_reading(ata_197=2), {"ata_197": 0}, None, {"ata_197": 2})
    changed = judge(_reading(ata_197=3), {"ata_197": 0}, None, {"ata_197": 2})

    assert acknowledged.health is DriveHealth.PASSED
    assert acknowledged.acknowledged == ["pending sectors (197) rose from 0 to 2 since first seen"]
    assert changed.health is DriveHealth.WARNING


def test_a_sleeping_drive_that_passed_is_asleep_and_a_failing_one_stays_failed() -> None:
    asleep = Reading(state="asleep", read_at=AT, smart_passed=True, counts={"ata_5": 0})
    failing = Reading(state="asleep", read_at=AT, smart_passed=False)

    assert judge(asleep, {}).health is DriveHealth.ASLEEP
    assert judge(failing, {}).health is DriveHealth.FAILED


def test_a_drive_without_smart_is_unknown_with_the_agents_reason() -> None:
    reading = Reading(
        state="no_smart", read_at=None, smart_passed=None, message="no S.M.A.R.T. support"
    )

    verdict = judge(reading, {})

    assert (verdict.health, verdict.reasons) == (DriveHealth.UNKNOWN, ["no S.M.A.R.T. support"])


def test_nvme_spare_below_its_floor_fails_and_wear_past_its_rating_warns() -> None:
    spare = Reading("ok", AT, True, available_spare_percent=4, available_spare_threshold_percent=10)
    worn = Reading("ok", AT, True, used_percent=104)

    assert judge(spare, {}).health is DriveHealth.FAILED
    assert judge(worn, {}).reasons == ["wear: 104 % of its rated life used"]
