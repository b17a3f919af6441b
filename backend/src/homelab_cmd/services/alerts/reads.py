"""Reading and acknowledging alerts."""

from datetime import UTC, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from homelab_cmd.db.ids import get_row
from homelab_cmd.db.models import Alert, AlertFlap, Server
from homelab_cmd.domain.alerts import AlertState
from homelab_cmd.errors import AlertNotFound
from homelab_cmd.schemas.alert import AlertFilter, AlertList, AlertRead

_STATES = {
    AlertFilter.FIRING: (AlertState.FIRING,),
    AlertFilter.PENDING: (AlertState.PENDING,),
    AlertFilter.OPEN: (AlertState.PENDING, AlertState.FIRING),
    AlertFilter.ACKNOWLEDGED: (AlertState.FIRING,),
    AlertFilter.RESOLVED: (AlertState.RESOLVED,),
}


def list_alerts(
    session: Session, state: AlertFilter, server_id: str | None, limit: int
) -> AlertList:
    """Newest first; `count` is the number matching, `data` at most `limit` of them."""
    name = func.coalesce(Server.display_name, Server.hostname)
    query = select(Alert, name).join(Server, Server.id == Alert.server_id)
    if state in _STATES:
        query = query.where(Alert.state.in_(_STATES[state]))
    if state is AlertFilter.ACKNOWLEDGED:
        query = query.where(Alert.acknowledged_at.is_not(None))
    if server_id is not None:
        query = query.where(Alert.server_id == server_id)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    order = (
        func.coalesce(Alert.resolved_at, Alert.fired_at, Alert.started_at).desc(),
        Alert.id.desc(),
    )
    rows = session.execute(
        query.add_columns(_FLAPPING)
        .outerjoin(AlertFlap, _SAME_CONDITION)
        .order_by(*order)
        .limit(limit)
    ).all()
    return AlertList(
        data=[_read(alert, server_name, flapping) for alert, server_name, flapping in rows],
        count=total,
    )


# The flap record of an alert's condition (kind, server, mount), whichever alert row it is.
_SAME_CONDITION = and_(
    AlertFlap.server_id == Alert.server_id,
    AlertFlap.kind == Alert.kind,
    AlertFlap.mount_point.is_not_distinct_from(Alert.mount_point),
)
_FLAPPING = AlertFlap.flapping_since.is_not(None).label("flapping")


def _read(alert: Alert, server_name: str, flapping: bool | None) -> AlertRead:
    return AlertRead.model_validate(
        {**_columns(alert), "server_name": server_name, "flapping": bool(flapping)}
    )


def _columns(alert: Alert) -> dict[str, object]:
    return {c.key: getattr(alert, c.key) for c in Alert.__table__.columns}


def acknowledge(session: Session, alert_id: int, by: str) -> AlertRead:
    """Mark a firing alert seen: no more repeats; it still resolves (and says so)."""
    alert = get_row(session, Alert, alert_id)
    if alert is None:
        raise AlertNotFound(alert_id)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = datetime.now(UTC)
        alert.acknowledged_by = by
        session.commit()
    server = session.get(Server, alert.server_id)
    name = (server.display_name or server.hostname) if server is not None else alert.server_id
    flapping = session.scalar(select(_FLAPPING).where(_SAME_CONDITION, Alert.id == alert.id))
    return _read(alert, name, flapping)
