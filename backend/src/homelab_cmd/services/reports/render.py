"""The capacity report written for channels: plain text for chat, a simple HTML table for e-mail.

Both forms are written from one list of sections, whose rows hold each figure formatted once,
so the text and the table cannot disagree. Mount points, host names, drive names and alert
messages come from agents: control characters and bidirectional overrides in them are shown as
escapes in both forms (a mount point with a newline cannot forge a line of the report), and the
HTML form escapes everything it did not write itself. The text form is sent like an alert
message, escaped for the channel's own markup (Markdown for Slack, HTML for Telegram) by
`services/notify/send.py`.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from homelab_cmd.domain.forecast import FillSource
from homelab_cmd.schemas.report import (
    CapacityReport,
    ReportAlert,
    ReportDirectory,
    ReportFilesystem,
    ReportGrower,
    ReportStorageChange,
)
from homelab_cmd.services.alerts.messages import size

PRODUCT = "HomelabCmd"
# C0/C1 controls, and the marks that reorder or hide text (bidi overrides, isolates, marks).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Agent text on one line: control and reordering characters shown as escapes."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _day(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d}" if at is not None else "?"


def _hub_link(url: str) -> str:
    # One slash at the end, whether or not HOMELAB_CMD_PUBLIC_URL was given with one.
    return url.rstrip("/") + "/"


def _minute(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC" if at is not None else "?"


def _signed(value: int) -> str:
    return ("+" if value >= 0 else "-") + size(abs(value))


@dataclass
class Row:
    """One row: its cells for the table, and the same figures as a line of text."""

    cells: tuple[str, ...]
    line: str
    details: list[str] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    columns: tuple[str, ...]
    rows: list[Row]
    empty: str
    more: int = 0


def _fill_row(fs: ReportFilesystem) -> Row:
    where = clean(f"{fs.server_name} {fs.mount_point}")
    when = f"{_day(fs.full_at)} (in {fs.days_until_full or 0:.1f} days)"
    if fs.fill_source is FillSource.DOMAIN:
        # The pool it shares fills first: its date is the pool's (docs/forecast.md).
        when += f", with {clean(fs.fill_domain_label or fs.fill_domain or 'its storage')}"
    if fs.full_at_latest is None:
        spread = f"from {_day(fs.full_at_earliest)}, maybe never"
    else:
        spread = f"{_day(fs.full_at_earliest)} to {_day(fs.full_at_latest)}"
    if not fs.confident:
        spread += ", low confidence"
    free = f"{size(fs.available_bytes)} of {size(fs.total_bytes)}"
    rate = f"{_signed(round(fs.growth_bytes_per_day or 0))}/day"
    return Row(
        (where, when, spread, free, rate),
        f"{where}: full {when}, range {spread}; {free} free, {rate}",
    )


def _grow_row(g: ReportGrower) -> Row:
    where = clean(f"{g.server_name} {g.mount_point}")
    change = _signed(g.change_bytes)
    span = f"{size(g.bytes_then)} → {size(g.bytes_now)}"
    return Row(
        (where, change, span, _day(g.since)), f"{where}: {change} ({span} since {_day(g.since)})"
    )


def _directory_row(d: ReportDirectory) -> Row:
    where = clean(f"{d.server_name} {d.path}")
    change = _signed(d.change_bytes)
    span = f"{size(d.bytes_then)} → {size(d.bytes_now)}"
    return Row((where, change, span), f"{where}: {change} ({span})")


def _health_row(s: ReportStorageChange) -> Row:
    where = clean(f"{s.server_name} {s.subject} {s.name}")
    now = s.health or "no longer reported"
    why = clean("; ".join(s.reasons))
    details = [
        clean(
            f"{_minute(e.started_at)} {e.severity} {e.kind.value.replace('_', ' ')}"
            + (f", ended {_minute(e.resolved_at)}" if e.resolved_at else ", still open")
            + f": {e.message}"
        )
        for e in s.events
    ]
    return Row(
        (where, now, why, "\n".join(details)),
        f"{where}: {now} now" + (f" ({why})" if why else ""),
        details,
    )


def _alert_row(a: ReportAlert) -> Row:
    subject = f"{a.server_name} {a.mount_point}" if a.mount_point else a.server_name
    where = clean(subject)
    what = a.kind.value.replace("_", " ")
    since = _minute(a.fired_at) + (", acknowledged" if a.acknowledged else "")
    return Row(
        (f"[{a.severity.upper()}]", where, what, since, clean(a.message)),
        f"[{a.severity.upper()}] {where}: {what}, firing since {since}",
        [clean(a.message)],
    )


def sections(report: CapacityReport) -> list[Section]:
    """The report's sections, in the order both forms show them."""
    a = report.alerts
    return [
        Section(
            f"Filling within {report.horizon_days} days, soonest first",
            ("Filesystem", "Full", "Range", "Free", "Growth"),
            [_fill_row(f) for f in report.filling],
            f"Nothing fills within {report.horizon_days} days.",
            report.filling_count - len(report.filling),
        ),
        Section(
            "Largest growers this week",
            ("Filesystem", "Grew", "Used", "Since"),
            [_grow_row(g) for g in report.growers],
            "No filesystem grew this week.",
        ),
        Section(
            "Directories that grew (usage scans)",
            ("Directory", "Grew", "Used"),
            [_directory_row(d) for d in report.directory_growers],
            "No usage scan this week found a directory that grew.",
        ),
        Section(
            "Drives and pools whose health changed",
            ("Drive or pool", "Health now", "Why", "This week"),
            [_health_row(s) for s in report.storage_changes],
            "No drive or pool changed health this week.",
        ),
        Section(
            f"Alerts this week: {a.opened} opened, {a.acknowledged} acknowledged, "
            f"{a.resolved} resolved, {a.still_firing} still firing",
            ("Severity", "Where", "Alert", "Firing since", "Message"),
            [_alert_row(x) for x in a.firing],
            "No alert is firing.",
            a.still_firing - len(a.firing),
        ),
    ]


def title(report: CapacityReport) -> str:
    """The message's title (an e-mail's subject): nothing in it comes from an agent."""
    count = report.filling_count
    fills = (
        f"{count} filesystem{'s' if count != 1 else ''} fill{'s' if count == 1 else ''} "
        f"within {report.horizon_days} days"
        if count
        else f"nothing fills within {report.horizon_days} days"
    )
    firing = report.alerts.still_firing
    alerts = f", {firing} alert{'s' if firing != 1 else ''} firing" if firing else ""
    return f"{PRODUCT} weekly capacity report {_day(report.generated_at)}: {fills}{alerts}"


def _period(report: CapacityReport) -> str:
    return (
        f"The week {_day(report.period_start)} to {_day(report.generated_at)}, "
        f"{report.server_count} server{'s' if report.server_count != 1 else ''}, "
        f"as of {_minute(report.generated_at)}."
    )


def _footer(report: CapacityReport) -> list[str]:
    lines = []
    if report.next_report_at is not None:
        lines.append(f"Next report: {_minute(report.next_report_at)}, schedule {report.schedule}.")
    return lines


def as_text(report: CapacityReport) -> str:
    """The report as plain text, for chat channels and webhooks."""
    out = [_period(report)]
    for section in sections(report):
        out += ["", section.heading.upper()]
        if not section.rows:
            out.append(section.empty)
        for row in section.rows:
            out.append(f"- {row.line}")
            out += [f"    {d}" for d in row.details]
        if section.more:
            out.append(f"- … and {section.more} more")
    out.append("")
    if report.hub_url:
        out.append(f"Open the hub: {_hub_link(report.hub_url)}")
    out += _footer(report)
    return "\n".join(out)


_TABLE = 'border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse"'


def _cell(text: str, tag: str = "td") -> str:
    return f"<{tag}>{html.escape(text).replace(chr(10), '<br>')}</{tag}>"


def _table(section: Section) -> str:
    head = "".join(_cell(c, "th") for c in section.columns)
    rows = "".join("<tr>" + "".join(_cell(c) for c in row.cells) + "</tr>" for row in section.rows)
    more = f"<p>… and {section.more} more</p>" if section.more else ""
    return f"<table {_TABLE}><tr>{head}</tr>{rows}</table>{more}"


def as_html(report: CapacityReport) -> str:
    """The report as an HTML document of tables, for e-mail."""
    parts = [
        f"<h2>{html.escape(title(report))}</h2>",
        f"<p>{html.escape(_period(report))}</p>",
    ]
    for section in sections(report):
        parts.append(f"<h3>{html.escape(section.heading)}</h3>")
        parts.append(_table(section) if section.rows else f"<p>{html.escape(section.empty)}</p>")
    if report.hub_url:
        link = html.escape(_hub_link(report.hub_url), quote=True)
        parts.append(f'<p><a href="{link}">Open the hub</a>: {link}</p>')
    parts += [f"<p>{html.escape(line)}</p>" for line in _footer(report)]
    body = "\n".join(parts)
    return f'<html><body style="font-family:sans-serif">\n{body}\n</body></html>'
