"""Which hub addresses may be handed to hosts and people: one rule for PUBLIC_URL (config.py)
and for the address a request came to (api/deps.py's hub URL).

The address is written into install.sh, which hosts run as root, and into the install command
people paste into a shell, unquoted. So it is `scheme://host[:port][/path]` in characters no
shell reads as more than a word, wherever they stand in it: no quote, space, newline, `$`,
backtick, `;`, `|`, `&`, `\\`, `( ) < > { } * ? ! # ^`, no query and no user info. `~` and `%`
appear only after the scheme, never at the start of a word, where a shell would expand them.
"""

import re

# Letters, digits, dashes, dots and underscores (Docker Compose service names such as
# `homelab_hub`), an optional trailing dot (a fully qualified name), or an IPv6 literal with an
# optional zone (`[fe80::1%25eth0]`, RFC 6874).
_HOST = (
    r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?"
    r"|\[[0-9A-Fa-f:.]+(?:%25[A-Za-z0-9._-]+)?\])"
)
# 1 to 65535.
_PORT = r"(?::(?:6553[0-5]|655[0-2]\d|65[0-4]\d{2}|6[0-4]\d{3}|[1-5]\d{4}|[1-9]\d{0,3}))?"
_PATH = r"(?:/[A-Za-z0-9._~%+=,@:/-]*)?"
_HUB_URL = re.compile(rf"(?i:https?)://{_HOST}{_PORT}{_PATH}")

# The rule in words, for the error that names it.
HUB_URL_RULE = (
    "http(s)://host[:port][/path], with a host of letters, digits, dots, dashes and underscores "
    "(or [IPv6], a zone written %25name), a port of 1-65535 and a path of letters, digits and "
    "._~%+=,@:/- only (no query, no user info, no quotes, spaces, $, `, ;, |, &, \\, ( ) < >)"
)


def is_hub_url(value: str) -> bool:
    """Whether `value` is a hub address that may be written into a shell command as it is."""
    return _HUB_URL.fullmatch(value) is not None
