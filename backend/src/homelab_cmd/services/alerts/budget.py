"""The per-server open-alert budget (docs/alerts.md): which new mount conditions are past it,
and the one server-wide alert per kind that stands for them."""

from collections import defaultdict

from homelab_cmd.domain.alerts import AlertKind, Severity
from homelab_cmd.services.alerts.messages import describe_group
from homelab_cmd.services.alerts.observe import Findings, Observation
from homelab_cmd.services.alerts.pass_rows import AlertRow
from homelab_cmd.services.alerts.rows import ServerRow

# Mount points a grouped alert keeps in its figures (the count has them all).
GROUP_MOUNTS_KEPT = 50


def over_budget(
    by_key: dict[tuple[AlertKind, str | None], AlertRow], findings: Findings, max_open_alerts: int
) -> dict[tuple[AlertKind, str | None], Observation]:
    """New mount conditions past the server's open-alert budget, by (kind, mount).

    Alerts already open stay as they are; new ones are admitted critical first, then the
    rest, vanished mounts last (by mount point), until the server holds `max_open_alerts`.
    """
    seen = {(o.kind, o.mount_point) for o in findings.observed}
    staying = sum(
        1 for key in by_key if key[1] is not None and (key in seen or key in findings.kept)
    )
    new = [
        o
        for o in findings.observed
        if o.mount_point is not None and (o.kind, o.mount_point) not in by_key
    ]
    room = max(max_open_alerts - staying, 0)
    if len(new) <= room:
        return {}
    new.sort(
        key=lambda o: (
            o.severity is not Severity.CRITICAL,
            o.kind is AlertKind.VANISHED,
            o.mount_point or "",
        )
    )
    return {(o.kind, o.mount_point): o for o in new[room:]}


def groups(
    server: ServerRow,
    overflow: dict[tuple[AlertKind, str | None], Observation],
    max_open_alerts: int,
) -> list[Observation]:
    """One server-wide alert per kind for the conditions past the budget."""
    by_kind: dict[AlertKind, list[Observation]] = defaultdict(list)
    for obs in overflow.values():
        by_kind[obs.kind].append(obs)
    name = server.display_name or server.hostname
    out = []
    for kind, group in sorted(by_kind.items()):
        mounts = sorted(o.mount_point or "" for o in group)
        worst = (
            Severity.CRITICAL
            if any(o.severity is Severity.CRITICAL for o in group)
            else Severity.WARNING
        )
        message = describe_group(kind, mounts, name, max_open_alerts)
        figures = {"count": len(mounts), "mounts": mounts[:GROUP_MOUNTS_KEPT]}
        out.append(Observation(kind, None, worst, message, figures))
    return out
