"""Sending one message to one Apprise URL, with the reason when it fails."""

import logging

import apprise

from homelab_cmd.errors import InvalidChannelUrl

# No Apprise cache files in the hub's folders: every send starts from the URL alone.
_ASSET = apprise.AppriseAsset(storage_mode="memory")
_TYPES = {
    "critical": apprise.NotifyType.FAILURE,
    "warning": apprise.NotifyType.WARNING,
    "resolved": apprise.NotifyType.SUCCESS,
    "info": apprise.NotifyType.INFO,
}


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
    """Deliver one message; None on success, else why it failed."""
    notifier = apprise.Apprise(asset=_ASSET)
    if not notifier.add(url):
        return "not a valid Apprise URL"
    with apprise.LogCapture(level=logging.WARNING) as logs:  # type: ignore[no-untyped-call]
        delivered = notifier.notify(
            body=body, title=title, notify_type=_TYPES.get(kind, apprise.NotifyType.INFO)
        )
        output = str(logs.getvalue()).strip()
    if delivered:
        return None
    lines = [line.split(" - ", 2)[-1] for line in output.splitlines() if line.strip()]
    return "; ".join(lines[-3:])[:500] or "delivery failed"
