"""One send into real loopback sinks: agent text arrives literal in each channel's format."""

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from homelab_cmd.services.notify.send import send
from tests.notify_sinks import http_sink, smtp_sink

SCRIPT_MOUNT = "/srv/<script>alert(1)</script>"
MARKUP_MOUNT = "/data/*bold*_x_[link](http://evil)"
TITLE = f"[WARNING] nas {SCRIPT_MOUNT}: disk used"
BODY = f"Server: nas (nas)\nMount: {SCRIPT_MOUNT}\nMount: {MARKUP_MOUNT}\nSeverity: warning"


def test_an_html_email_carries_agent_text_escaped_and_no_raw_tag() -> None:
    with smtp_sink() as sink:
        assert send(sink.url, TITLE, BODY, "warning") is None
    [mail] = sink.received
    parts = [p for p in mail.walk() if p.get_content_type() == "text/html"]
    assert parts, "the e-mail has an HTML body"
    html = str(parts[0].get_payload(decode=True).decode())  # type: ignore[union-attr]
    assert "/srv/&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert MARKUP_MOUNT in html  # no markup in HTML, so shown as sent
    assert mail["Subject"] == TITLE  # a subject is plain text


def test_a_plain_text_email_carries_agent_text_as_sent() -> None:
    with smtp_sink() as sink:
        assert send(f"{sink.url}&format=text", TITLE, BODY, "warning") is None
    [mail] = sink.received
    assert not [p for p in mail.walk() if p.get_content_type() == "text/html"]
    text = "".join(
        str(p.get_payload(decode=True).decode())  # type: ignore[union-attr]
        for p in mail.walk()
        if p.get_content_type() == "text/plain"
    )
    assert SCRIPT_MOUNT in text


def test_a_json_webhook_receives_the_text_verbatim() -> None:
    with http_sink() as sink:
        assert send(sink.url, TITLE, BODY, "critical") is None
    [message] = sink.messages()
    assert message["title"] == TITLE
    assert message["message"] == BODY


@pytest.mark.parametrize(
    ("body_format", "escaped", "raw"),
    [
        ("html", "/srv/&lt;script&gt;alert(1)&lt;/script&gt;", "<script"),
        ("markdown", r"/data/\*bold\*\_x\_\[link\]\(http://evil\)", "[link](http"),
        ("markdown", r"/srv/\<script\>", "/srv/<script"),
    ],
)
def test_a_webhook_in_a_markup_format_receives_agent_text_escaped(
    body_format: str, escaped: str, raw: str
) -> None:
    with http_sink() as sink:
        assert send(f"{sink.url}?format={body_format}", TITLE, BODY, "warning") is None
    [message] = sink.messages()
    assert escaped in message["message"]
    assert raw not in message["message"]


def test_messages_sent_at_once_to_one_webhook_each_arrive_once_with_their_own_text() -> None:
    # Sends to one URL run a few at a time and reuse ready notifiers: none may carry another's.
    with http_sink() as sink, ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(
            pool.map(lambda n: send(sink.url, f"title {n}", f"body {n}", "warning"), range(40))
        )
    assert outcomes == [None] * 40
    received = sorted((m["title"], m["message"]) for m in sink.messages())
    assert received == sorted((f"title {n}", f"body {n}") for n in range(40))


def test_a_webhook_that_failed_is_sent_to_again_and_says_why_it_failed() -> None:
    with http_sink(fail_next=1) as sink:
        assert send(sink.url, "first", "body", "warning") is not None
        assert send(sink.url, "second", "body", "warning") is None
    assert [m["title"] for m in sink.messages()] == ["second"]


def test_a_send_leaves_no_info_lines_of_apprise_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with http_sink() as sink:
        assert send(sink.url, TITLE, BODY, "warning") is None
    assert not [r for r in caplog.records if r.name.startswith("apprise")]
