"""Sending one message to one Apprise URL, with the reason when it fails."""

import logging

import apprise
from apprise.conversion import text_to_html, text_to_markdown

from homelab_cmd.errors import InvalidChannelUrl

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
    """The URL with its tokens and passwords masked, as Apprise's plugin for it renders it."""
    plugin = apprise.Apprise.instantiate(url, asset=_ASSET)
    if plugin is None:
        return url.split(":", 1)[0] + "://…"
    return str(plugin.url(privacy=True))  # type: ignore[no-untyped-call]


def check_url(url: str) -> None:
    """Refuse a URL no Apprise plugin accepts."""
    if apprise.Apprise.instantiate(url, asset=_ASSET) is None:
        scheme = url.split("://", 1)[0] if "://" in url else url[:20]
        raise InvalidChannelUrl(
            f"{scheme!r} is not an Apprise URL this hub can send to "
            "(see https://github.com/caronc/apprise/wiki for the formats)"
        )


def send(url: str, title: str, body: str, kind: str) -> str | None:
    """Deliver one message of plain text; None on success, else why it failed.

    The title and body carry agent text (mount points, hostnames), so they are escaped for the
    format the channel renders (its `format=` option, else its own default: HTML for e-mail and
    Telegram, Markdown for Slack, text for ntfy or json://) and declared as that format, so
    Apprise converts nothing again.
    """
    plugin = apprise.Apprise.instantiate(url, asset=_ASSET)
    if plugin is None:
        return "not a valid Apprise URL"
    body_format = plugin.resolve_format(None)
    # A channel with no title field (Telegram) writes the title into the body's markup.
    if plugin.title_maxlen <= 0:
        title = _escaped(title, body_format)
    notifier = apprise.Apprise(asset=_ASSET)
    notifier.add(plugin)
    with apprise.LogCapture(level=logging.WARNING) as logs:  # type: ignore[no-untyped-call]
        delivered = notifier.notify(
            body=_escaped(body, body_format),
            title=title,
            notify_type=_TYPES.get(kind, apprise.NotifyType.INFO),
            body_format=body_format,
        )
        output = str(logs.getvalue()).strip()
    if delivered:
        return None
    lines = [line.split(" - ", 2)[-1] for line in output.splitlines() if line.strip()]
    return "; ".join(lines[-3:])[:500] or "delivery failed"
