"""A channel URL as shown: scheme and host visible, every secret and query value hidden."""

import pytest

from homelab_cmd.services.notify.send import redacted

CASES = [
    # (url, what must show, what must never show)
    (
        "ntfys://ntfy.example.com/my-secret-topic?token=tk_abcdef123&priority=high",
        ["ntfys://", "ntfy.example.com", "priority=high"],
        ["my-secret-topic", "tk_abcdef123", "abcdef"],
    ),
    (
        "ntfy://alice:hunter22@ntfy.home.lan/alerts",
        ["ntfy://", "ntfy.home.lan"],
        ["alice", "hunter22", "alerts"],
    ),
    (
        "gotify://gotify.home.lan/AbCdEfGhIjKl?priority=8",
        ["gotify://", "gotify.home.lan", "priority="],
        ["AbCdEfGhIjKl", "CdEf"],
    ),
    (
        "discord://123456789/WebhookTokenSecret?avatar=no",
        ["discord://", "avatar=no"],
        ["123456789", "WebhookTokenSecret", "TokenSecret"],
    ),
    (
        "tgram://123456789:bot_token_secret/987654321?format=markdown",
        ["tgram://", "format=markdown"],
        ["bot_token_secret", "987654321", "123456789"],
    ),
    (
        "mailtos://ops:mail-password@smtp.example.com:465?to=oncall@example.com&from=hub@x.test",
        ["mailtos://", "smtp.example.com"],
        ["mail-password", "oncall", "hub@x.test", "hub%40x.test", "ops:"],
    ),
    (
        "json://hooks.example.com:8443/api/hook-secret?+Authorization=Bearer%20sk_live_9"
        "&+X-Api-Key=key123&-sig=abc&format=markdown",
        ["json://", "hooks.example.com:8443", "+Authorization=…", "format=markdown"],
        ["sk_live_9", "Bearer", "key123", "hook-secret", "abc"],
    ),
]


@pytest.mark.parametrize(("url", "shown", "hidden"), CASES)
def test_a_redacted_url_shows_where_it_goes_and_hides_every_secret(
    url: str, shown: list[str], hidden: list[str]
) -> None:
    shown_url = redacted(url)

    for part in shown:
        assert part in shown_url, f"{part!r} should show in {shown_url!r}"
    for part in hidden:
        assert part not in shown_url, f"{part!r} leaks in {shown_url!r}"


@pytest.mark.parametrize("url", ["not-a-url-but-a-secret", "nosuchscheme://user:pw@host/x"])
def test_a_url_apprise_cannot_read_shows_no_more_than_its_scheme(url: str) -> None:
    shown_url = redacted(url)

    assert "secret" not in shown_url
    assert "pw" not in shown_url
    assert shown_url in ("?://…", "nosuchscheme://…")
