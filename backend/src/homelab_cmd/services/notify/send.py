"""Sending one message to one Apprise URL, with the reason when it fails."""

import functools
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, quote, urlsplit

import apprise
from apprise.conversion import text_to_html, text_to_markdown

from homelab_cmd.errors import InvalidChannelUrl

# URL options that say how a message looks or is sent, never who may send it: shown redacted.
HARMLESS_OPTIONS = frozenset(
    {
        "format",
        "overflow",
        "priority",
        "mode",
        "method",
        "retry",
        "wait",
        "optional",
        "cto",
        "verify",
        "tts",
        "avatar",
        "image",
        "silent",
        "preview",
        "mdv",
    }
)
HIDDEN = "…"
# Messages sent at once to one URL whose plugin asks for no time between requests (webhooks).
PARALLEL_SENDS = 4
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]{0,31}", re.IGNORECASE)
# URLs whose ready notifiers are kept (the least recently used beyond it are let go).
KEPT_URLS = 64

# No Apprise cache files in the hub's folders: every send starts from the URL alone.
_ASSET = apprise.AppriseAsset(storage_mode="memory")
_TYPES = {
    "critical": apprise.NotifyType.FAILURE,
    "warning": apprise.NotifyType.WARNING,
    "resolved": apprise.NotifyType.SUCCESS,
    "info": apprise.NotifyType.INFO,
}


def _escaped(text: str, body_format: apprise.NotifyFormat) -> str:
    """Plain text made literal in a channel's body format: nothing an agent sent is markup."""
    if body_format == apprise.NotifyFormat.HTML:
        return str(text_to_html(text))  # type: ignore[no-untyped-call]
    if body_format == apprise.NotifyFormat.MARKDOWN:
        # CommonMark lets raw HTML through, and Apprise's escaper leaves "<" as it is.
        return str(text_to_markdown(text)).replace("<", "\\<")  # type: ignore[no-untyped-call]
    return text


def redacted(url: str) -> str:
    """The URL as the UI and the audit log show it: scheme, host and port, little else.

    Apprise's privacy rendering masks the tokens its plugin knows; on top of that every path
    segment, the user and password, and every query value (`+Header=` values included) are
    hidden, but for the few options that say how a message looks or is sent.
    """
    plugin = apprise.Apprise.instantiate(url, asset=_ASSET)
    if plugin is None:
        scheme = url.split("://", 1)[0] if "://" in url else ""
        return f"{scheme if _SCHEME.fullmatch(scheme) else '?'}://{HIDDEN}"
    parts = urlsplit(str(plugin.url(privacy=True)))  # type: ignore[no-untyped-call]
    _, at, host = parts.netloc.rpartition("@")
    netloc = f"{HIDDEN}@{host}" if at else host
    path = "/".join(HIDDEN if segment else "" for segment in parts.path.split("/"))
    query = "&".join(
        f"{quote(key, safe='+-')}={quote(value, safe='') if key in HARMLESS_OPTIONS else HIDDEN}"
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    return f"{parts.scheme}://{netloc}{path}{'?' if query else ''}{query}"


def check_url(url: str) -> None:
    """Refuse a URL no Apprise plugin accepts."""
    if apprise.Apprise.instantiate(url, asset=_ASSET) is None:
        scheme = url.split("://", 1)[0] if "://" in url else url[:20]
        raise InvalidChannelUrl(
            f"{scheme!r} is not an Apprise URL this hub can send to "
            "(see https://github.com/caronc/apprise/wiki for the formats)"
        )


def shows_html_tables(url: str) -> bool:
    """Whether a channel renders HTML with a title of its own (e-mail): the one kind that gets a
    message's HTML form. Telegram renders HTML too, but no tables, and has no title field."""
    plugin = apprise.Apprise.instantiate(url, asset=_ASSET)
    return (
        plugin is not None
        and plugin.resolve_format(None) == apprise.NotifyFormat.HTML
        and plugin.title_maxlen > 0
    )


@functools.lru_cache(maxsize=256)
def parallel_sends(url: str) -> int:
    """How many messages may go to this URL at once: one when its Apprise plugin asks for time
    between requests (mail, ntfy, Telegram, Slack, …), else `PARALLEL_SENDS`."""
    plugin = apprise.Apprise.instantiate(url, asset=_ASSET)
    if plugin is None or plugin.request_rate_per_sec > 0:
        return 1
    return PARALLEL_SENDS


class _ThreadLines(logging.Handler):
    """The warnings one thread's send logs: sends run in several threads at once, and Apprise
    logs to one logger, so each send keeps only its own thread's records."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.lines.extend(line for line in record.getMessage().splitlines() if line.strip())


@contextmanager
def _warnings() -> Iterator[list[str]]:
    logger = logging.getLogger("apprise")
    if logger.level == logging.NOTSET or logger.getEffectiveLevel() > logging.WARNING:
        # Once, for good: lowering and restoring it around each send would race between threads.
        # Warnings are what a failed send reports; Apprise's info lines (two per message) would
        # fill the hub's log under a storm.
        logger.setLevel(logging.WARNING)
    handler = _ThreadLines()
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)


class _Notifier:
    """An Apprise object holding one URL's plugin."""

    def __init__(self, plugin: apprise.plugins.NotifyBase) -> None:
        self.plugin = plugin
        self.apprise = apprise.Apprise(asset=_ASSET)
        self.apprise.add(plugin)

    @property
    def keepable(self) -> bool:
        # A plugin that asks for time between requests (mail, Slack, ntfy) waits out its
        # throttle when used again: a backlog's messages would go out seconds apart.
        return self.plugin.request_rate_per_sec <= 0


class _Ready:
    """Notifiers ready for reuse, per URL: building one costs a webhook's send again (the URL
    parsed, the plugin and Apprise's locale looked up on disk). A send has its notifier to
    itself, as a new one was its own (a plugin keeps state between requests: its throttle, a
    login), and one whose send failed is dropped, so whatever state it was left in goes too."""

    def __init__(self) -> None:
        self._idle: OrderedDict[str, list[_Notifier]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, url: str) -> _Notifier | None:
        with self._lock:
            idle = self._idle.get(url)
            if idle:
                return idle.pop()
        plugin = apprise.Apprise.instantiate(url, asset=_ASSET)
        return None if plugin is None else _Notifier(plugin)

    def give_back(self, url: str, notifier: _Notifier) -> None:
        if not notifier.keepable:
            return
        with self._lock:
            idle = self._idle.setdefault(url, [])
            self._idle.move_to_end(url)
            if len(idle) < PARALLEL_SENDS:
                idle.append(notifier)
            while len(self._idle) > KEPT_URLS:
                self._idle.popitem(last=False)


_READY = _Ready()


def send(url: str, title: str, body: str, kind: str, *, html: bool = False) -> str | None:
    """Deliver one message of plain text; None on success, else why it failed.

    The title and body carry agent text (mount points, hostnames), so they are escaped for the
    format the channel renders (its `format=` option, else its own default: HTML for e-mail and
    Telegram, Markdown for Slack, text for ntfy or json://) and declared as that format, so
    Apprise converts nothing again. With `html`, the body is HTML already, escaped where it was
    written (a report's table): it is declared as HTML and sent as it is.
    """
    notifier = _READY.take(url)
    if notifier is None:
        return "not a valid Apprise URL"
    plugin = notifier.plugin
    body_format = apprise.NotifyFormat.HTML if html else plugin.resolve_format(None)
    # A channel with no title field (Telegram) writes the title into the body's markup.
    if plugin.title_maxlen <= 0:
        title = _escaped(title, body_format)
    with _warnings() as lines:
        delivered = notifier.apprise.notify(
            body=body if html else _escaped(body, body_format),
            title=title,
            notify_type=_TYPES.get(kind, apprise.NotifyType.INFO),
            body_format=body_format,
        )
    if delivered:
        _READY.give_back(url, notifier)
        return None
    return "; ".join(lines[-3:])[:500] or "delivery failed"
