"""Alert levels per scope: global defaults, then a server's, then the best mount pattern's."""

import hashlib
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AlertRule, Server
from homelab_cmd.domain.alerts import MountPolicy
from homelab_cmd.domain.snapshot import parse_snapshot
from homelab_cmd.errors import AlertRuleNotFound, InvalidLevels
from homelab_cmd.schemas.alert import (
    AlertSettingsRead,
    EffectiveLevels,
    MountLevels,
    MountSettingList,
)
from homelab_cmd.services import audit
from homelab_cmd.services.levels import POLICY_FIELDS, load_policies, rule_values

GLOBAL = "global"


def scope_key(server_id: str | None, mount_pattern: str | None) -> str:
    """The unique key of a rule's scope."""
    if server_id is None:
        return GLOBAL
    if mount_pattern is None:
        return f"server:{server_id}"
    digest = hashlib.sha256(mount_pattern.encode("utf-8")).hexdigest()
    return f"mount:{server_id}:{digest}"


def scope_name(server_id: str | None, mount_pattern: str | None) -> str:
    """A rule's scope as the audit log names it."""
    if server_id is None:
        return GLOBAL
    if mount_pattern is None:
        return f"server {server_id}"
    return f"server {server_id}, mounts {mount_pattern}"


def get_rule(
    session: Session, server_id: str | None, mount_pattern: str | None
) -> AlertRule | None:
    key = scope_key(server_id, mount_pattern)
    return session.scalars(select(AlertRule).where(AlertRule.scope_key == key)).first()


def put_rule(
    session: Session,
    server_id: str | None,
    mount_pattern: str | None,
    values: dict[str, Any],
    *,
    actor: str | None = None,
    source: str | None = None,
) -> AlertRule:
    """Create or replace the rule of one scope: fields left out or null inherit.

    With `actor`, the change is recorded in the audit log in the same commit.
    """
    check_levels(values)
    rule = get_rule(session, server_id, mount_pattern)
    if rule is None:
        rule = AlertRule(
            scope_key=scope_key(server_id, mount_pattern),
            server_id=server_id,
            mount_pattern=mount_pattern,
        )
        session.add(rule)
    for name in POLICY_FIELDS:
        value = values.get(name)
        setattr(rule, name, None if value is None else str(value) if name == "mode" else value)
    rule.updated_at = datetime.now(UTC)
    if actor is not None:
        audit.record(
            session,
            "alert_settings.changed",
            actor,
            rule.updated_at,
            source=source,
            target=scope_name(server_id, mount_pattern),
            detail=", ".join(
                f"{name}={values[name]}" for name in POLICY_FIELDS if values.get(name) is not None
            )
            or "all inherited",
        )
    session.commit()
    return rule


# (lower, higher): a warning is met before the critical level of the same condition.
_ORDER = (
    ("warn_percent", "crit_percent"),
    ("inodes_warn_percent", "inodes_crit_percent"),
    ("crit_days", "warn_days"),
    ("crit_free_bytes", "warn_free_bytes"),
)


def check_levels(values: dict[str, Any]) -> None:
    """Refuse a warning level past its critical one."""
    for low, high in _ORDER:
        a, b = values.get(low), values.get(high)
        if a is not None and b is not None and a > b:
            raise InvalidLevels(f"{low} ({a:g}) must not exceed {high} ({b:g})")


def list_mount_rules(session: Session, server_id: str) -> list[AlertRule]:
    query = (
        select(AlertRule)
        .where(AlertRule.server_id == server_id, AlertRule.mount_pattern.is_not(None))
        .order_by(AlertRule.id)
    )
    return list(session.scalars(query))


def delete_mount_rule(
    session: Session,
    server_id: str,
    mount_pattern: str,
    *,
    actor: str | None = None,
    source: str | None = None,
) -> None:
    rule = get_rule(session, server_id, mount_pattern)
    if rule is None:
        raise AlertRuleNotFound(server_id, mount_pattern)
    session.delete(rule)
    if actor is not None:
        audit.record(
            session,
            "alert_settings.removed",
            actor,
            datetime.now(UTC),
            source=source,
            target=scope_name(server_id, mount_pattern),
        )
    session.commit()


def read_rule(
    session: Session, server_id: str | None, mount_pattern: str | None
) -> AlertSettingsRead:
    """A scope's own values and the levels in force for it."""
    rule = get_rule(session, server_id, mount_pattern)
    values = rule_values(rule) if rule is not None else {}
    book = load_policies(session, [server_id] if server_id else [])
    if server_id is None:
        effective = MountPolicy().overridden(book.global_rule)
    elif mount_pattern is None:
        effective = book.server_policy(server_id)
    else:
        effective = book.policy(server_id, mount_pattern)
    return _read(server_id, mount_pattern, values, effective)


def read_mount_rules(session: Session, server: Server) -> MountSettingList:
    """The server's mount rules, and for each filesystem of its snapshot the rule and levels
    that apply."""
    server_id = server.id
    mounts = [fs.mount_point for fs in parse_snapshot(server.filesystems) or []]
    book = load_policies(session, [server_id])
    data = [
        _read(server_id, rule.mount_pattern, rule_values(rule), book.policy(server_id, pattern))
        for rule in list_mount_rules(session, server_id)
        if (pattern := rule.mount_pattern) is not None
    ]
    applied = []
    for mount in mounts:
        rule = book.rule_for(server_id, mount)
        effective = EffectiveLevels.model_validate(asdict(book.policy(server_id, mount)))
        applied.append(
            MountLevels(mount_point=mount, rule=rule[0] if rule else None, effective=effective)
        )
    return MountSettingList(data=data, count=len(data), mounts=applied)


def _read(
    server_id: str | None,
    mount_pattern: str | None,
    values: dict[str, Any],
    effective: MountPolicy,
) -> AlertSettingsRead:
    return AlertSettingsRead.model_validate(
        {
            **values,
            "server_id": server_id,
            "mount_pattern": mount_pattern,
            "effective": EffectiveLevels.model_validate(asdict(effective)),
        }
    )
