"""The alert levels in force for each mount: global defaults, a server's rule, the best mount
rule. Read by the alert pass and by the fleet list, so a disk is judged by one rule everywhere.
"""

from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import AlertRule
from homelab_cmd.domain.alerts import MountPolicy, pattern_matches, pattern_rank

POLICY_FIELDS = tuple(f.name for f in fields(MountPolicy) if f.name != "clear_margin_percent")


def rule_values(rule: AlertRule) -> dict[str, Any]:
    """The fields a rule sets (nulls inherit)."""
    return {name: getattr(rule, name) for name in POLICY_FIELDS}


@dataclass
class PolicyBook:
    """Every rule that applies to a set of servers, resolved per mount without more queries."""

    global_rule: dict[str, Any] = field(default_factory=dict)
    server_rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    mount_rules: dict[str, list[tuple[str, dict[str, Any]]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    _server_policies: dict[str, MountPolicy] = field(default_factory=dict)

    def server_policy(self, server_id: str) -> MountPolicy:
        """Built-in defaults ← global ← the server's rule (worked out once per server)."""
        policy = self._server_policies.get(server_id)
        if policy is None:
            policy = MountPolicy().overridden(self.global_rule)
            policy = policy.overridden(self.server_rules.get(server_id, {}))
            self._server_policies[server_id] = policy
        return policy

    def rule_for(self, server_id: str, mount_point: str) -> tuple[str, dict[str, Any]] | None:
        """The mount rule that applies: an exact path, else the longest matching glob."""
        rules = self.mount_rules.get(server_id)
        if not rules:
            return None
        matches = [
            (pattern, values) for pattern, values in rules if pattern_matches(pattern, mount_point)
        ]
        if not matches:
            return None
        return max(matches, key=lambda m: pattern_rank(m[0], mount_point))

    def policy(self, server_id: str, mount_point: str) -> MountPolicy:
        """Built-in defaults ← global ← server ← the matching mount rule (exact, else longest)."""
        policy = self.server_policy(server_id)
        rule = self.rule_for(server_id, mount_point)
        return policy if rule is None else policy.overridden(rule[1])


# Built once, so every caller (an alert pass among them, several a second under a storm) reuses
# its compiled form; plain rows, not ORM objects.
_RULE_COLUMNS = (
    AlertRule.server_id,
    AlertRule.mount_pattern,
    *(AlertRule.__table__.c[name] for name in POLICY_FIELDS),
)
_RULES = select(*_RULE_COLUMNS)
_RULES_OF = _RULES.where(
    AlertRule.server_id.is_(None) | AlertRule.server_id.in_(bindparam("ids", expanding=True))
)


def load_policies(db: Session | Connection, server_ids: list[str] | None) -> PolicyBook:
    """The rules of these servers (all when None) and the global one."""
    rows = db.execute(_RULES) if server_ids is None else db.execute(_RULES_OF, {"ids": server_ids})
    book = PolicyBook()
    for row in rows:
        values = {name: row._mapping[name] for name in POLICY_FIELDS}
        if row.server_id is None:
            book.global_rule = values
        elif row.mount_pattern is None:
            book.server_rules[row.server_id] = values
        else:
            book.mount_rules[row.server_id].append((row.mount_pattern, values))
    return book
