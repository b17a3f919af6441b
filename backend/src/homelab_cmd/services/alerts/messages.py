"""What an alert says: one line for the alert list, a title and body for a message."""

from datetime import datetime, timedelta
from typing import Any

from homelab_cmd.domain.alerts import POOL_KINDS, STORAGE_KINDS, AlertKind
from homelab_cmd.domain.usage import printable
from homelab_cmd.services.alerts.pass_rows import AlertRow
from homelab_cmd.services.usage.reads import RecentGrowth

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")


def size(value: float) -> str:
    """Bytes in binary units, as df -h shows them."""
    amount = float(value)
    for unit in _UNITS:
        if abs(amount) < 1024 or unit == _UNITS[-1]:
            return f"{amount:.0f} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return f"{amount:.1f} PiB"


def _day(iso: str | None) -> str:
    return iso[:10] if iso else "?"


def _with(figures: dict[str, Any]) -> str:
    # The date is its capacity domain's (a pool its siblings fill): " with pool tank".
    return f" with {figures['fills_with']}" if figures.get("fills_with") else ""


# Growers a time-to-full message names, from the filesystem's latest usage scans.
GROWERS_NAMED = 3


def grower_figures(growth: RecentGrowth) -> dict[str, Any]:
    """The figures of what grew between a filesystem's latest two scans, for its message."""
    return {
        "grown_since": growth.since.isoformat(),
        "grown_until": growth.taken_at.isoformat(),
        "growers": [[g.path, g.change] for g in growth.growers[:GROWERS_NAMED]],
    }


def _grew(figures: dict[str, Any]) -> str:
    # "; grew since Monday: +46.0 GiB /srv/frigate/recordings, …"; paths as --explain shows them.
    if not figures.get("growers"):
        return ""
    since = datetime.fromisoformat(figures["grown_since"])
    until = datetime.fromisoformat(figures["grown_until"])
    when = f"{since:%A}" if until - since < timedelta(days=6) else f"{since:%Y-%m-%d}"
    named = ", ".join(f"+{size(change)} {printable(path)}" for path, change in figures["growers"])
    return f"; grew since {when}: {named}"


_PLAIN = {
    AlertKind.READ_ONLY: "{mount} turned read-only (it was writable)",
    AlertKind.UNREACHABLE: "{mount} does not answer (hung mount)",
    AlertKind.VANISHED: "{mount} is gone: absent from the last {heartbeats} heartbeats",
    AlertKind.MISSING: "{mount} is expected (fstab or a mount unit) but not mounted",
    AlertKind.INODES_USED: "{mount} has used {percent:.1f} % of its inodes",
    AlertKind.SERVER_OFFLINE: "no heartbeat since {last_seen_at}",
}


def describe(kind: AlertKind, mount: str | None, figures: dict[str, Any]) -> str:
    """One sentence with the figures behind the alert."""
    if kind in STORAGE_KINDS:
        return str(figures["text"])
    if kind is AlertKind.DISK_USED:
        return (
            f"{mount} is {figures['percent']:.1f} % full: {size(figures['free_bytes'])} free "
            f"of {size(figures['size_bytes'])}"
        )
    if kind is AlertKind.TIME_TO_FULL:
        return (
            f"{mount} fills{_with(figures)} in about {figures['days_left']:.1f} days "
            f"({_day(figures['full_at'])}; "
            f"between {_day(figures.get('full_at_earliest'))} and "
            f"{_day(figures.get('full_at_latest'))}), {size(figures['free_bytes'])} free"
            f"{_grew(figures)}"
        )
    if kind is AlertKind.INODES_TIME_TO_FULL:
        return (
            f"{mount} runs out of inodes in about {figures['days_left']:.1f} days "
            f"({_day(figures['full_at'])}; between {_day(figures.get('full_at_earliest'))} and "
            f"{_day(figures.get('full_at_latest'))}), {figures['inodes_free']:,} of "
            f"{figures['inodes_total']:,} inodes free"
        )
    return _PLAIN[kind].format(mount=mount, **figures)


_GROUPED = {
    AlertKind.DISK_USED: "are over their used-space level",
    AlertKind.TIME_TO_FULL: "fill soon",
    AlertKind.INODES_USED: "are over their inode level",
    AlertKind.INODES_TIME_TO_FULL: "run out of inodes soon",
    AlertKind.READ_ONLY: "turned read-only",
    AlertKind.UNREACHABLE: "do not answer",
    AlertKind.VANISHED: "vanished",
    AlertKind.MISSING: "are expected but not mounted",
    AlertKind.DRIVE_HEALTH: "drives need attention",
    AlertKind.POOL_DEGRADED: "pools are degraded",
    AlertKind.POOL_FAULTED: "pools are faulted",
    AlertKind.POOL_ERRORS: "pools have new errors",
    AlertKind.SCRUB_OVERDUE: "pools are overdue a scrub",
    AlertKind.SCRUB_ERRORS: "pools' scrubs found errors",
}
NAMED_IN_GROUP = 5


def describe_group(kind: AlertKind, mounts: list[str], server_name: str, budget: int) -> str:
    """One sentence for the conditions of a kind past a server's open-alert budget."""
    named = ", ".join(mounts[:NAMED_IN_GROUP]) + (", …" if len(mounts) > NAMED_IN_GROUP else "")
    return (
        f"{len(mounts)} more mounts {_GROUPED.get(kind, kind.value)} on {server_name}: {named} "
        f"(not alerted one by one: the server holds its {budget} open alerts, "
        "HOMELAB_CMD_MAX_OPEN_ALERTS_PER_SERVER)"
    )


def server_link(public_url: str | None, server_id: str) -> str | None:
    return f"{public_url.rstrip('/')}/servers/{server_id}" if public_url else None


def _subject(kind: AlertKind) -> str:
    if kind is AlertKind.DRIVE_HEALTH:
        return "Drive"
    return "Pool" if kind in POOL_KINDS else "Mount"


def compose(
    event: str,
    alert: AlertRow,
    server_name: str,
    public_url: str | None,
    now: datetime,
) -> tuple[str, str]:
    """Title and body of a message about one alert transition."""
    kind = alert.kind
    where = f"{server_name} {alert.mount_point}" if alert.mount_point else server_name
    label = kind.value.replace("_", " ")
    if event == "resolved":
        title = f"[RESOLVED] {where}: {label}"
    elif event == "repeat":
        title = f"[{alert.severity.upper()}] still: {where}: {label}"
    else:
        title = f"[{alert.severity.upper()}] {where}: {label}"
    lines = [
        f"Server: {server_name} ({alert.server_id})",
        *([f"{_subject(kind)}: {alert.mount_point}"] if alert.mount_point else []),
        f"Severity: {alert.severity}",
        alert.message,
    ]
    if event == "repeat" and alert.fired_at is not None:
        lines.append(f"Firing since {alert.fired_at:%Y-%m-%d %H:%M} UTC")
    if event == "resolved":
        lines.append(f"Resolved at {now:%Y-%m-%d %H:%M} UTC")
    link = server_link(public_url, alert.server_id)
    if link:
        lines.append(link)
    return title, "\n".join(lines)


# What changes when a condition flaps: "/srv usage is flapping".
_FLAPPING_NOUN = {
    AlertKind.DISK_USED: "usage",
    AlertKind.INODES_USED: "inode usage",
    AlertKind.SERVER_OFFLINE: "online state",
}


def span(duration: timedelta) -> str:
    """A window or a quiet spell in words: "hour", "2 hours", "30 minutes"."""
    minutes = round(duration.total_seconds() / 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return "hour" if hours == 1 else f"{hours} hours"
    return "minute" if minutes == 1 else f"{minutes} minutes"


def _flapping_subject(kind: AlertKind, mount: str | None) -> str:
    noun = _FLAPPING_NOUN.get(kind, kind.value.replace("_", " "))
    return f"{mount} {noun}" if mount else noun


def _flapping_where(
    server_name: str, server_id: str, kind: AlertKind, mount: str | None
) -> list[str]:
    return [
        f"Server: {server_name} ({server_id})",
        *([f"{_subject(kind)}: {mount}"] if mount else []),
    ]


def compose_flapping(
    server_name: str,
    server_id: str,
    kind: AlertKind,
    mount: str | None,
    *,
    changes: int,
    window: timedelta,
    settle: timedelta,
    public_url: str | None,
) -> tuple[str, str]:
    """Title and body of the one message a condition gets when it starts flapping."""
    where = f"{server_name} {mount}" if mount else server_name
    label = kind.value.replace("_", " ")
    lines = [
        *_flapping_where(server_name, server_id, kind, mount),
        f"{_flapping_subject(kind, mount)} is flapping: {changes} changes in the last "
        f"{span(window)}; notifications paused until it settles (no change for {span(settle)})",
    ]
    link = server_link(public_url, server_id)
    if link:
        lines.append(link)
    return f"[FLAPPING] {where}: {label}", "\n".join(lines)


def compose_settled(
    server_name: str,
    server_id: str,
    kind: AlertKind,
    mount: str | None,
    *,
    changes: int,
    quiet: timedelta,
    now_firing: AlertRow | None,
    public_url: str | None,
) -> tuple[str, str]:
    """Title and body of the message a flapping condition gets when it settles: what it is now."""
    where = f"{server_name} {mount}" if mount else server_name
    label = kind.value.replace("_", " ")
    if now_firing is None:
        state = "Now: OK (not firing)"
    else:
        state = f"Now: firing ({now_firing.severity}): {now_firing.message}"
    lines = [
        *_flapping_where(server_name, server_id, kind, mount),
        f"{_flapping_subject(kind, mount)} has settled: no change for {span(quiet)} after "
        f"{changes} changes while it flapped; notifications resume",
        state,
    ]
    link = server_link(public_url, server_id)
    if link:
        lines.append(link)
    return f"[SETTLED] {where}: {label}", "\n".join(lines)
