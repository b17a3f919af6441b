"""The weekly report's schedule as written in HOMELAB_CMD_REPORT_SCHEDULE: one rule for the
setting's check at start (config.py) and for the hub that follows it (services/reports/).

A weekday and a 24-hour time, in the hub's local time zone or one named after it: "Mon 08:00",
"friday 17:30", "Mon 08:00 Europe/Berlin". Empty means no scheduled report.
"""

import re
from dataclasses import dataclass
from datetime import time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_SCHEDULE = "Mon 08:00"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FORM = re.compile(r"(?P<day>[A-Za-z]+)\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?:\s+(?P<zone>\S+))?")
# The accepted form in words, for the error that refuses another.
SCHEDULE_RULE = (
    "a weekday and a 24-hour time, optionally a time zone: 'Mon 08:00', 'friday 17:30', "
    "'Mon 08:00 Europe/Berlin' (weekdays Mon-Sun or their full names, any case; hours 0-23); "
    "empty sends no report"
)


@dataclass(frozen=True)
class ReportSchedule:
    """One slot a week: `weekday` (0 = Monday) at `at`, wall-clock time in `zone` (None: the
    hub's local time zone, looked up where the schedule is followed)."""

    weekday: int
    at: time
    zone: tzinfo | None = None
    zone_name: str | None = None

    def describe(self) -> str:
        """The schedule as people write it: 'Mon 08:00 (hub local time)'."""
        day = WEEKDAYS[self.weekday][:3].capitalize()
        return f"{day} {self.at:%H:%M} ({self.zone_name or 'hub local time'})"


def _weekday(text: str) -> int | None:
    word = text.lower()
    for index, name in enumerate(WEEKDAYS):
        if word in (name, name[:3]):
            return index
    return None


def named_zone(name: str) -> ZoneInfo | None:
    """The IANA time zone of that name, None when the system knows none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_schedule(value: str) -> ReportSchedule | None:
    """The schedule in `value`, None when it is empty; ValueError naming the accepted form."""
    text = value.strip()
    if not text:
        return None
    match = _FORM.fullmatch(text)
    weekday = None if match is None else _weekday(match["day"])
    if match is None or weekday is None or int(match["hour"]) > 23 or int(match["minute"]) > 59:
        raise ValueError(f"HOMELAB_CMD_REPORT_SCHEDULE={value!r}: write {SCHEDULE_RULE}")
    at = time(int(match["hour"]), int(match["minute"]))
    if match["zone"] is None:
        return ReportSchedule(weekday, at)
    zone = named_zone(match["zone"])
    if zone is None:
        raise ValueError(
            f"HOMELAB_CMD_REPORT_SCHEDULE={value!r}: {match['zone']!r} is no time zone this hub "
            f"knows (an IANA name such as Europe/Berlin or UTC); write {SCHEDULE_RULE}"
        )
    return ReportSchedule(weekday, at, zone, match["zone"])
