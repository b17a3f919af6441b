"""The report from a real hub process, delivered by Apprise into a `json://` HTTP sink and an
SMTP sink: the scheduled one on start (its slot was earlier today) and one sent by hand.

The fleet is written into the hub's database before it starts (a week of history cannot be sent
as heartbeats in a test's time). The hub's own alert pass runs meanwhile and may send alert
messages to the same sinks; the report is told apart by its title.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest

from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from tests.conftest import ENGINES
from tests.hub_process import API_KEY, HUB, running_hub
from tests.notify_sinks import HttpSink, SmtpSink, http_sink, smtp_sink, wait_for
from tests.postgres import private_schema
from tests.services.reports.fleet import build_fleet

pytestmark = [
    pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed"),
    pytest.mark.xdist_group("alert-journeys"),
]
TITLE = "HomelabCmd weekly capacity report "
HOSTILE_HOST = "<script>alert(1)</script>**nas**"


@contextmanager
def database(tmp_path: Path, engine_name: str) -> Iterator[str]:
    with ExitStack() as stack:
        if engine_name == "postgres":
            url = stack.enter_context(private_schema("reports"))
        else:
            url = f"sqlite:///{tmp_path / 'hub.db'}"
        engine = make_engine(url)
        upgrade_to_head(engine)
        build_fleet(engine, datetime.now(UTC), {"nas-1": HOSTILE_HOST})
        engine.dispose()
        yield url


def reports(hook: HttpSink) -> list[dict[str, Any]]:
    return [m for m in hook.messages() if m["title"].startswith(TITLE)]


def mails(mail: SmtpSink) -> list[Message]:
    return [m for m in list(mail.received) if str(m["Subject"]).startswith(TITLE)]


def html_of(mail: Message) -> str:
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/html"]
    return str(part.get_payload(decode=True).decode())  # type: ignore[union-attr]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_hub_sends_the_missed_report_on_start_and_one_by_hand(
    tmp_path: Path, engine_name: str
) -> None:
    today = datetime.now(UTC)
    with database(tmp_path, engine_name) as url, http_sink() as hook, smtp_sink() as mail:
        env = {
            "HOMELAB_CMD_DATABASE_URL": url,
            "HOMELAB_CMD_NOTIFY_URLS": f"{hook.url},{mail.url}",
            # Today's slot at midnight: passed, the same day, so owed on start.
            "HOMELAB_CMD_REPORT_SCHEDULE": f"{today:%a} 00:00 UTC",
            "HOMELAB_CMD_MAINTENANCE_INTERVAL_SECONDS": "3600",
            "HOMELAB_CMD_PUBLIC_URL": "http://hub.test",
            "HOMELAB_CMD_NOTIFY_RETRY_SECONDS": "0.2",
        }
        with running_hub(tmp_path / "data", env) as (_, base):
            wait_for(lambda: bool(reports(hook) and mails(mail)), "the scheduled report")
            client = httpx.Client(base_url=base, headers={"X-API-Key": API_KEY}, timeout=60)
            sent = client.post("/api/v1/reports/capacity/send")
            assert (sent.status_code, sent.json()["channels"]) == (202, 2)
            wait_for(lambda: len(reports(hook)) >= 2 and len(mails(mail)) >= 2, "the one by hand")
            read = client.get("/api/v1/reports/capacity").json()

    scheduled, by_hand = reports(hook)[:2]
    for message in (scheduled, by_hand):
        text = message["message"]
        assert "FILLING WITHIN 90 DAYS, SOONEST FIRST" in text
        # The webhook renders nothing: agent text as sent, inside its own line.
        assert f"\n- {HOSTILE_HOST} /srv: full " in text
        assert "LARGEST GROWERS THIS WEEK" in text
        assert "DRIVES AND POOLS WHOSE HEALTH CHANGED" in text
        assert "Open the hub: http://hub.test/" in text
    first_mail = mails(mail)[0]
    assert first_mail["Subject"] == scheduled["title"]
    html = html_of(first_mail)
    assert "<table" in html and "<th>Filesystem</th>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;**nas** /srv" in html
    assert "<script" not in html
    assert '<a href="http://hub.test/">' in html
    assert [f["mount_point"] for f in read["filling"]][:3] == ["/srv", "/backups", "/var/lib/vz"]
    assert read["filling_count"] == 6
    assert [d["path"] for d in read["directory_growers"]] == [
        "/srv/frigate/recordings",
        "/srv/media",
    ]
