"""A forwarded header the hub did not believe is noticed, and said once."""

import logging

import pytest

from homelab_cmd.services.access.forwarded import (
    UntrustedProxyWarning,
    forwarded_by_untrusted_peer,
)

XFF = "x-forwarded-for"


@pytest.mark.parametrize(
    ("headers", "client_host", "trusted", "unbelieved"),
    [
        ({}, "127.0.0.1", [], False),  # no proxy in front
        ({XFF: "1.2.3.4"}, "127.0.0.1", [], True),  # a same-machine proxy, not trusted
        ({"forwarded": "for=1.2.3.4"}, "127.0.0.1", [], True),
        ({XFF: "1.2.3.4"}, "1.2.3.4", ["127.0.0.1"], False),  # trusted: uvicorn named the client
        ({XFF: "6.6.6.6, 1.2.3.4"}, "1.2.3.4", ["127.0.0.0/8"], False),
        ({XFF: "1.2.3.4"}, "10.9.9.9", ["127.0.0.1"], True),  # a proxy the hub does not trust
        ({"forwarded": "for=1.2.3.4"}, "127.0.0.1", ["127.0.0.1"], False),  # trusted peer
        ({"forwarded": "for=1.2.3.4"}, "10.9.9.9", ["127.0.0.1"], True),
        ({XFF: "1.2.3.4"}, None, ["127.0.0.1"], False),
        ({XFF: "1.2.3.4"}, "testclient", ["127.0.0.1"], True),
    ],
)
def test_a_forwarded_header_counts_as_unbelieved_only_when_no_trusted_proxy_sent_it(
    headers: dict[str, str], client_host: str | None, trusted: list[str], unbelieved: bool
) -> None:
    assert forwarded_by_untrusted_peer(headers, client_host, trusted) is unbelieved


def test_the_warning_names_the_setting_and_the_proxy_once(caplog: pytest.LogCaptureFixture) -> None:
    warning = UntrustedProxyWarning()
    with caplog.at_level(logging.WARNING, logger="homelab_cmd.services.access.forwarded"):
        warning.check({}, "127.0.0.1", [])
        assert caplog.records == []  # no proxy in front: nothing to say
        for _ in range(3):
            warning.check({XFF: "1.2.3.4"}, "127.0.0.1", [])

    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert "HOMELAB_CMD_TRUSTED_PROXIES=127.0.0.1" in message
    assert "sign-in throttles and the audit log see real addresses" in message
