"""When the weekly capacity report is due: the schedule (domain/report_schedule.py) on the hub's
clock.

Each week has one slot, the weekday's date at the schedule's wall-clock time in its zone (the
hub's local one unless the schedule names another). A time the clocks skip (02:30 on the
spring-forward night) is read with the offset before the jump, so it comes at 03:30 by the new
clock; a time they pass twice (autumn) counts the first time only. A slot the hub missed (it
was down) is still due later on the same local day, never after.
"""

import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from homelab_cmd.domain.report_schedule import ReportSchedule, named_zone, parse_schedule

_LOCALTIME = Path("/etc/localtime")


def local_zone() -> tzinfo:
    """The hub's own time zone, with its daylight-saving rules: TZ when it names a zone, else
    the system's /etc/localtime, else the current UTC offset (no DST rules known)."""
    name = os.environ.get("TZ", "").removeprefix(":")
    zone = named_zone(name) if name else None
    if zone is not None:
        return zone
    try:
        with _LOCALTIME.open("rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError):
        return datetime.now(UTC).astimezone().tzinfo or UTC


def hub_schedule(value: str) -> ReportSchedule | None:
    """The schedule in `value` (None: no report), in the hub's local zone unless it names one."""
    schedule = parse_schedule(value)
    if schedule is None or schedule.zone is not None:
        return schedule
    return replace(schedule, zone=local_zone())


def _zone(schedule: ReportSchedule) -> tzinfo:
    return schedule.zone or local_zone()


def _slot_on(schedule: ReportSchedule, day: date) -> datetime:
    # fold=0: a wall time passed twice means its first pass, and one the clocks skip is read
    # with the offset before the jump.
    wall = datetime.combine(day, schedule.at, tzinfo=_zone(schedule))
    return wall.astimezone(UTC)


def _latest(schedule: ReportSchedule, now: datetime) -> tuple[date, datetime]:
    """The weekday's date of the latest slot at or before `now`, and that slot (UTC)."""
    local = now.astimezone(_zone(schedule))
    day = local.date() - timedelta(days=(local.weekday() - schedule.weekday) % 7)
    slot = _slot_on(schedule, day)
    if slot > now:
        day -= timedelta(days=7)
        slot = _slot_on(schedule, day)
    return day, slot


def next_slot(schedule: ReportSchedule, now: datetime) -> datetime:
    """The first slot after `now` (UTC)."""
    day, _ = _latest(schedule, now)
    return _slot_on(schedule, day + timedelta(days=7))


def due_slot(schedule: ReportSchedule, now: datetime) -> datetime | None:
    """The slot a report is owed for at `now`: the latest one, while it is still its local day;
    None once that day is over (a missed report is not sent the day after)."""
    day, slot = _latest(schedule, now)
    return slot if now.astimezone(_zone(schedule)).date() == day else None
