"""The report as text and as HTML: the same figures in both, agent text never taken as markup."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.domain.report_schedule import parse_schedule
from homelab_cmd.schemas.report import (
    CapacityReport,
    ReportAlert,
    ReportAlerts,
    ReportFilesystem,
    ReportGrower,
)
from homelab_cmd.services.reports import render
from homelab_cmd.services.reports.capacity import ReportOptions, build_report
from tests.factories import GIB
from tests.services.reports.fleet import build_fleet

NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
SCRIPT = "<script>alert(1)</script>"
HOSTILE_HOST = f"{SCRIPT}**bold** [link](http://evil.test) <b>x</b>"
# A mount point with a newline and a right-to-left override: both could forge a line.
HOSTILE_MOUNT = "/srv/a\n- [CRITICAL] fake line \u202egnp.exe"


def hostile_report() -> CapacityReport:
    full_at = NOW + timedelta(days=9)
    return CapacityReport(
        generated_at=NOW,
        period_start=NOW - timedelta(days=7),
        horizon_days=90,
        hub_url="http://hub.test",
        server_count=1,
        filling=[
            ReportFilesystem(
                server_id="nas-1",
                server_name=HOSTILE_HOST,
                mount_point=HOSTILE_MOUNT,
                total_bytes=100 * GIB,
                used_bytes=90 * GIB,
                available_bytes=10 * GIB,
                percent=90.0,
                growth_bytes_per_day=GIB,
                full_at=full_at,
                full_at_earliest=full_at - timedelta(days=1),
                full_at_latest=full_at + timedelta(days=2),
                confident=True,
                days_until_full=9.0,
            )
        ],
        filling_count=1,
        growers=[
            ReportGrower(
                server_id="nas-1",
                server_name=HOSTILE_HOST,
                mount_point=HOSTILE_MOUNT,
                since=NOW - timedelta(days=7),
                bytes_then=83 * GIB,
                bytes_now=90 * GIB,
                change_bytes=7 * GIB,
            )
        ],
        directory_growers=[],
        storage_changes=[],
        alerts=ReportAlerts(
            opened=1,
            acknowledged=0,
            resolved=0,
            still_firing=1,
            firing=[
                ReportAlert(
                    id=1,
                    server_id="nas-1",
                    server_name=HOSTILE_HOST,
                    kind="disk_used",
                    severity="critical",
                    mount_point=HOSTILE_MOUNT,
                    fired_at=NOW - timedelta(hours=5),
                    acknowledged=False,
                    message=f"{HOSTILE_MOUNT} is 90.0 % full {SCRIPT}",
                )
            ],
        ),
        schedule=None,
        next_report_at=None,
    )


class _Tags(HTMLParser):
    """The elements and attributes an HTML document really contains."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    return tags


def test_html_holds_only_the_tables_it_wrote() -> None:
    html = render.as_html(hostile_report())
    tags = parsed(html)

    assert tags.tags <= {"html", "body", "h2", "h3", "p", "table", "tr", "th", "td", "br", "a"}
    assert "script" not in tags.tags and "b" not in tags.tags
    assert tags.hrefs == ["http://hub.test/"]
    text = "".join(tags.text)
    # Shown as the agent sent it, as text: the script, the Markdown, the HTML.
    assert SCRIPT in text and "**bold** [link](http://evil.test) <b>x</b>" in text
    assert "&lt;script&gt;" in html


def test_a_newline_or_bidi_override_in_agent_text_cannot_forge_a_line() -> None:
    report = hostile_report()
    text = render.as_text(report)
    html = render.as_html(report)

    # Every line that starts a row is one the report wrote: the fake line stays inside its row.
    assert not any(line.startswith("- [CRITICAL] fake") for line in text.splitlines())
    assert "/srv/a\\n- [CRITICAL] fake line \\u202egnp.exe" in text
    assert "\u202e" not in text and "\u202e" not in html
    assert "/srv/a\\n- [CRITICAL] fake line \\u202egnp.exe" in "".join(parsed(html).text)


def test_text_and_html_show_the_same_figures() -> None:
    report = hostile_report()
    text = render.as_text(report)
    cells = "".join(parsed(render.as_html(report)).text)

    for figure in ("2026-12-16 (in 9.0 days)", "2026-12-15 to 2026-12-18", "10.0 GiB of 100.0 GiB",
                   "+1.0 GiB/day", "+7.0 GiB", "83.0 GiB → 90.0 GiB"):  # fmt: skip
        assert figure in text and figure in cells
    assert "ALERTS THIS WEEK: 1 OPENED, 0 ACKNOWLEDGED, 0 RESOLVED, 1 STILL FIRING" in text
    assert "Open the hub: http://hub.test/" in text


def test_a_hub_url_given_with_a_slash_is_linked_with_one() -> None:
    for url in ("http://hub.test/cmd", "http://hub.test/cmd/", "http://hub.test/cmd//"):
        report = hostile_report().model_copy(update={"hub_url": url})

        assert "Open the hub: http://hub.test/cmd/\n" in render.as_text(report) + "\n"
        assert 'href="http://hub.test/cmd/"' in render.as_html(report)


def test_the_title_carries_no_agent_text() -> None:
    title = render.title(hostile_report())

    assert title == (
        "HomelabCmd weekly capacity report 2026-12-07: 1 filesystem fills within 90 days, "
        "1 alert firing"
    )


def test_sections_without_rows_say_so() -> None:
    report = hostile_report().model_copy(
        update={"filling": [], "filling_count": 0, "growers": [], "alerts": ReportAlerts(
            opened=0, acknowledged=0, resolved=0, still_firing=0, firing=[])}
    )  # fmt: skip

    text = render.as_text(report)

    assert "Nothing fills within 90 days." in text
    assert "No filesystem grew this week." in text
    assert "No drive or pool changed health this week." in text
    assert "No alert is firing." in text
    assert render.title(report).endswith(": nothing fills within 90 days")


def test_a_long_list_says_how_many_more(engine: Engine) -> None:
    build_fleet(engine, NOW)
    with Session(engine) as session:
        report = build_report(session, ReportOptions(None, 35, parse_schedule("")), NOW)
    shorter = report.model_copy(update={"filling": report.filling[:1]})

    text = render.as_text(shorter)

    assert "- … and 5 more" in text
    assert "… and 5 more" in render.as_html(shorter)


def test_a_hostile_hostname_from_the_fleet_is_escaped(engine: Engine) -> None:
    hostname = HOSTILE_HOST
    build_fleet(engine, NOW, {"nas-1": hostname})
    with Session(engine) as session:
        report = build_report(session, ReportOptions("http://hub.test", 35, None), NOW)

    html = render.as_html(report)

    assert report.filling[0].server_name == hostname
    assert "script" not in parsed(html).tags
    assert re.search(r"&lt;script&gt;alert\(1\)&lt;/script&gt;\*\*bold\*\*", html)
