"""The offline check between full passes: which servers' offline alert disagrees with the clock.

Going offline is the one time-based condition with a bound of seconds rather than minutes, so
it is not left to the full pass (runner.py): every `alert_evaluation_seconds` two small reads
find the servers not heard from within the offline threshold and the servers with an open
`server_offline` alert, and the runner passes the servers in one set and not the other. That is
a server gone quiet, and one back (its heartbeat stored by another hub, or a pass that failed).
It costs two small reads (the ids of the servers quiet and of those with the alert open), where
the full pass reads every mount.
"""

import math
from datetime import datetime

from sqlalchemy import Engine, or_, select

from homelab_cmd.db.models import Alert, Server
from homelab_cmd.domain.alerts import AlertKind

_OPEN_OFFLINE = select(Alert.server_id).where(
    Alert.kind == AlertKind.SERVER_OFFLINE, Alert.open_key.is_not(None)
)


def offline_changed(engine: Engine, now: datetime, offline_after_seconds: int) -> list[str]:
    """The servers whose status at `now` (domain.servers.status_at) is not what their open
    alerts say: offline without an open `server_offline` alert, or online with one."""
    # Sightings are stored in whole epoch seconds: one is before the cutoff exactly when it is
    # before the cutoff's next whole second.
    cutoff = math.ceil(now.timestamp() - offline_after_seconds)
    quiet = select(Server.id).where(
        or_(Server.last_seen_at.is_(None), Server.last_seen_at < cutoff)
    )
    with engine.connect() as conn:
        offline = set(conn.scalars(quiet))
        flagged = set(conn.scalars(_OPEN_OFFLINE))
    return sorted(offline ^ flagged)
