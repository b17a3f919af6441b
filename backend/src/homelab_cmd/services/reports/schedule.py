"""When the weekly capacity report is due: the schedule (domain/report_schedule.py) on the hub's
clock.

Each week has one slot, the weekday's date at the schedule's wall-clock time in its zone (the
hub's local one unless the schedule names another). A time the clocks skip (02:30 on the
spring-forward night) is read with the offset before the jump, so it comes at 03:30 by the new
clock; a time they pass twice (autumn) counts the first time only. A slot the hub missed (it
was down, or the maintenance pass that checks every 5 minutes came after it) stays due until the
end of its local day or for LATE_GRACE after it, whichever is later, never after: "Sun 23:58" is
still sent at 00:03 on Monday. The delivery sends it once (a report queued since the slot).
"""

import os
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from homelab_cmd.domain.report_schedule import ReportSchedule, named_zone, parse_schedule

_LOCALTIME = Path("/etc/localtime")
# How long after its slot a report is still owed, even past the end of its local day.
LATE_GRACE = timedelta(hours=6)


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
    """The slot a report is owed for at `now`: the latest one, until the end of its local day or
    LATE_GRACE after it, whichever is later; None after that (a missed report is not sent
    the next day)."""
    day, slot = _latest(schedule, now)
    end_of_day = datetime.combine(day + timedelta(days=1), time(), tzinfo=_zone(schedule))
    return slot if now < max(end_of_day.astimezone(UTC), slot + LATE_GRACE) else None
