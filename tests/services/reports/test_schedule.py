"""HOMELAB_CMD_REPORT_SCHEDULE: what it accepts, and when the weekly report is due."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from homelab_cmd.config import Settings
from homelab_cmd.domain.report_schedule import SCHEDULE_RULE, parse_schedule
from homelab_cmd.services.reports.schedule import (
    LATE_GRACE,
    due_slot,
    hub_schedule,
    local_zone,
    next_slot,
)

BERLIN = ZoneInfo("Europe/Berlin")


def berlin(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("value", "weekday", "at"),
    [
        ("Mon 08:00", 0, time(8, 0)),
        ("MON 8:00", 0, time(8, 0)),
        ("mon 08:00", 0, time(8, 0)),
        ("  friday   17:30 ", 4, time(17, 30)),
        ("Sun 0:00", 6, time(0, 0)),
        ("Wednesday 23:59", 2, time(23, 59)),
    ],
)
def test_a_weekday_and_a_time_are_accepted_in_any_case(value: str, weekday: int, at: time) -> None:
    schedule = parse_schedule(value)

    assert schedule is not None
    assert (schedule.weekday, schedule.at, schedule.zone) == (weekday, at, None)


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_schedule_sends_no_report(value: str) -> None:
    assert parse_schedule(value) is None
    assert Settings(report_schedule=value).report_schedule == ""


@pytest.mark.parametrize(
    "value",
    [
        "Funday 25:00",
        "Mon 25:00",
        "Mon 08:60",
        "Mon",
        "08:00",
        "Mon 8",
        "Mon 08:00:00",
        "Mo 08:00",
        "every monday at 8",
        "Mon 08:00 UTC extra",
    ],
)
def test_a_malformed_schedule_is_refused_naming_the_accepted_form(value: str) -> None:
    with pytest.raises(ValueError, match="HOMELAB_CMD_REPORT_SCHEDULE") as refused:
        parse_schedule(value)
    assert SCHEDULE_RULE in str(refused.value)
    # At start: the hub's settings refuse it with the same words.
    with pytest.raises(ValidationError, match="'Mon 08:00'"):
        Settings(report_schedule=value)


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="'Mars/Olympus' is no time zone"):
        parse_schedule("Mon 08:00 Mars/Olympus")


def test_a_named_zone_is_kept_and_described() -> None:
    schedule = parse_schedule("tue 06:15 Europe/Berlin")

    assert schedule is not None
    assert schedule.zone == BERLIN
    assert schedule.describe() == "Tue 06:15 (Europe/Berlin)"


def test_the_default_is_monday_eight_in_hub_local_time() -> None:
    schedule = hub_schedule(Settings().report_schedule)

    assert schedule is not None
    assert (schedule.weekday, schedule.at) == (0, time(8, 0))
    assert schedule.describe() == "Mon 08:00 (hub local time)"


def test_the_hub_local_zone_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    schedule = hub_schedule("Mon 08:00")

    assert schedule is not None
    assert local_zone() == ZoneInfo("America/New_York")
    # Monday 2026-12-07 08:00 in New York is 13:00 UTC (EST, UTC-5).
    assert next_slot(schedule, datetime(2026, 12, 6, tzinfo=UTC)) == datetime(
        2026, 12, 7, 13, tzinfo=UTC
    )


def test_the_slot_is_the_weekday_at_its_time() -> None:
    schedule = parse_schedule("Mon 08:00 Europe/Berlin")
    assert schedule is not None
    now = berlin(2026, 12, 9, 12, 0)  # a Wednesday

    assert next_slot(schedule, now - timedelta(days=7)) == berlin(2026, 12, 7, 8, 0)
    assert next_slot(schedule, now) == berlin(2026, 12, 14, 8, 0)
    assert due_slot(schedule, now) is None  # Monday's is past its day


def test_at_the_slot_itself_it_is_due() -> None:
    schedule = parse_schedule("Mon 08:00 Europe/Berlin")
    assert schedule is not None
    slot = berlin(2026, 12, 7, 8, 0)

    assert due_slot(schedule, slot) == slot
    assert due_slot(schedule, slot - timedelta(seconds=1)) is None
    assert next_slot(schedule, slot) == berlin(2026, 12, 14, 8, 0)


def test_a_missed_slot_is_due_until_the_end_of_its_local_day() -> None:
    schedule = parse_schedule("Mon 08:00 Europe/Berlin")
    assert schedule is not None
    slot = berlin(2026, 12, 7, 8, 0)

    assert due_slot(schedule, berlin(2026, 12, 7, 23, 59)) == slot
    # Past midnight in Berlin (still Monday 23:00 UTC): that week's report is not sent late.
    assert due_slot(schedule, berlin(2026, 12, 8, 0, 0)) is None
    assert due_slot(schedule, berlin(2026, 12, 13, 12, 0)) is None


def test_a_slot_late_in_its_day_stays_due_for_the_grace_after_it() -> None:
    # Checked every 5 minutes, "Sun 23:58" would be missed most weeks if owed only until
    # midnight: it stays due for six hours after the slot.
    schedule = parse_schedule("Sun 23:58 Europe/Berlin")
    assert schedule is not None
    slot = berlin(2026, 12, 6, 23, 58)

    assert due_slot(schedule, berlin(2026, 12, 7, 0, 3)) == slot
    assert due_slot(schedule, slot + LATE_GRACE - timedelta(seconds=1)) == slot
    assert due_slot(schedule, slot + LATE_GRACE) is None
    assert due_slot(schedule, berlin(2026, 12, 7, 12, 0)) is None


def test_the_slot_keeps_its_wall_time_across_the_dst_change() -> None:
    schedule = parse_schedule("Mon 08:00 Europe/Berlin")
    assert schedule is not None

    # The clocks go forward on Sunday 2027-03-28: 08:00 is 07:00 UTC before and 06:00 after.
    before = next_slot(schedule, berlin(2027, 3, 20, 12, 0))
    after = next_slot(schedule, before)

    assert before == datetime(2027, 3, 22, 7, 0, tzinfo=UTC)
    assert after == datetime(2027, 3, 29, 6, 0, tzinfo=UTC)
    assert after - before == timedelta(days=7, hours=-1)


def test_a_time_the_clocks_skip_comes_an_hour_later_by_the_new_clock() -> None:
    # Sunday 2027-03-28, Berlin: 02:00 CET jumps to 03:00 CEST; 02:30 never shows.
    schedule = parse_schedule("Sun 02:30 Europe/Berlin")
    assert schedule is not None

    slot = next_slot(schedule, berlin(2027, 3, 27, 12, 0))

    assert slot == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert slot.astimezone(BERLIN).strftime("%H:%M %Z") == "03:30 CEST"
    assert due_slot(schedule, slot) == slot
    assert due_slot(schedule, slot - timedelta(minutes=1)) is None


def test_a_time_the_clocks_pass_twice_is_one_slot() -> None:
    # Sunday 2026-10-25, Berlin: 03:00 CEST falls back to 02:00 CET; 02:30 shows twice.
    schedule = parse_schedule("Sun 02:30 Europe/Berlin")
    assert schedule is not None
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET, an hour later

    assert next_slot(schedule, berlin(2026, 10, 24, 12, 0)) == first
    # At the second 02:30 the slot is still the first one: one report, not two.
    assert due_slot(schedule, second) == first
    assert next_slot(schedule, second) == datetime(2026, 11, 1, 1, 30, tzinfo=UTC)


def test_a_schedule_in_utc_runs_on_utc_days() -> None:
    schedule = parse_schedule("Sun 23:30 UTC")
    assert schedule is not None
    slot = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)

    assert due_slot(schedule, slot + timedelta(minutes=29)) == slot
    # Past midnight UTC it is owed for the grace after the slot only.
    assert due_slot(schedule, slot + timedelta(minutes=30)) == slot
    assert due_slot(schedule, slot + LATE_GRACE) is None
    # A Monday-morning slot is owed until the end of Monday UTC.
    morning = parse_schedule("Mon 08:00 UTC")
    assert morning is not None
    assert due_slot(morning, datetime(2026, 12, 7, 23, 59, tzinfo=UTC)) == datetime(
        2026, 12, 7, 8, tzinfo=UTC
    )
    assert due_slot(morning, datetime(2026, 12, 8, tzinfo=UTC)) is None
