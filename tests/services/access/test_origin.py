"""The Origin and CSRF rules for browser requests, as a plain function of method and headers."""

import pytest

from homelab_cmd.errors import Forbidden
from homelab_cmd.services.access.origin import OriginPolicy, origin_of

HUB = OriginPolicy(public_url="https://hub.example.lan", cors_origins=["http://dev.lan:5173"])
NO_URL = OriginPolicy(public_url=None, cors_origins=[])


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://hub.example.lan", "https://hub.example.lan"),
        ("https://hub.example.lan/", "https://hub.example.lan"),
        ("https://Hub.Example.LAN:443/app", "https://hub.example.lan"),
        ("http://hub.lan:80", "http://hub.lan"),
        ("http://hub.lan:8080/", "http://hub.lan:8080"),
        ("https://hub.lan:80", "https://hub.lan:80"),
        ("http://[FD00::1]:8080", "http://[fd00::1]:8080"),
    ],
)
def test_origin_of_a_url_is_what_a_browser_sends(url: str, origin: str) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    ("policy", "headers", "same"),
    [
        # No Origin at all: not a cross-site browser request.
        (HUB, {}, True),
        (HUB, {"origin": "https://hub.example.lan"}, True),
        (HUB, {"origin": "http://dev.lan:5173"}, True),
        (HUB, {"origin": "https://evil.example"}, False),
        (HUB, {"origin": "https://hub.example.lan.evil.example"}, False),
        # The Host the request came to, whatever the scheme (a proxy terminating TLS).
        (NO_URL, {"origin": "https://hub.lan:8443", "host": "hub.lan:8443"}, True),
        (NO_URL, {"origin": "http://hub.lan:8443", "host": "hub.lan:8443"}, True),
        (NO_URL, {"origin": "https://hub.lan:8443", "host": "hub.lan"}, False),
        (NO_URL, {"origin": "null", "host": "hub.lan"}, False),
        (NO_URL, {"origin": "null"}, False),
        (NO_URL, {"origin": "https://evil.example", "host": "hub.lan"}, False),
    ],
)
def test_same_origin_is_the_hubs_own_or_a_cors_one(
    policy: OriginPolicy, headers: dict[str, str], same: bool
) -> None:
    assert policy.same_origin(headers) is same


OWN = {"origin": "https://hub.example.lan", "x-requested-with": "fetch"}


@pytest.mark.parametrize(
    ("method", "headers", "allowed"),
    [
        ("GET", {}, True),
        ("HEAD", {"origin": "https://evil.example"}, True),
        ("OPTIONS", {}, True),
        ("POST", OWN, True),
        ("DELETE", OWN, True),
        ("PATCH", {"x-requested-with": "fetch"}, True),
        ("POST", {"origin": "https://hub.example.lan"}, False),
        ("POST", {"origin": "https://hub.example.lan", "x-requested-with": ""}, False),
        ("PUT", {"origin": "https://evil.example", "x-requested-with": "fetch"}, False),
        ("POST", {}, False),
    ],
)
def test_a_cookie_borne_change_needs_the_header_and_the_own_origin(
    method: str, headers: dict[str, str], allowed: bool
) -> None:
    if allowed:
        HUB.check_cookie_request(method, headers)
    else:
        with pytest.raises(Forbidden, match="X-Requested-With"):
            HUB.check_cookie_request(method, headers)


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({}, True),
        ({"origin": "https://hub.example.lan"}, True),
        ({"origin": "https://evil.example"}, False),
    ],
)
def test_sign_in_is_accepted_from_the_hubs_own_pages_only(
    headers: dict[str, str], allowed: bool
) -> None:
    if allowed:
        HUB.check_sign_in(headers)
    else:
        with pytest.raises(Forbidden, match="own pages"):
            HUB.check_sign_in(headers)
