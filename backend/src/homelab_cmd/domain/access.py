"""Who may do what: roles, the identity behind a request, and the rule each route declares."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a credential may do: `admin` everything, `read` GET only, `agent` its heartbeats."""

    ADMIN = "admin"
    READ = "read"
    AGENT = "agent"


class AccessRule(StrEnum):
    """The rule a route declares; the authorization matrix test checks every route has one."""

    PUBLIC = "public"
    READ = "read"
    ADMIN = "admin"
    AGENT = "agent"


# Which roles each rule lets through. Admins may send heartbeats too: automation and tests post
# them with the admin key, and an admin can already change every server anyway.
ALLOWED_ROLES: dict[AccessRule, frozenset[Role]] = {
    AccessRule.READ: frozenset({Role.READ, Role.ADMIN}),
    AccessRule.ADMIN: frozenset({Role.ADMIN}),
    AccessRule.AGENT: frozenset({Role.AGENT, Role.ADMIN}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The verified identity behind a request.

    `server_id` is set for agent tokens: such a token may only report for that server. The legacy
    shared key is an agent credential without a server, accepted for heartbeats only.
    """

    role: Role
    name: str
    token_id: int | None = None
    server_id: str | None = None
    # The enrolled server's lasting identity, checked against X-Server-GUID when a client sends it.
    server_guid: str | None = None
    legacy_key: bool = False
    # Set for a person signed in with a session cookie.
    user_id: int | None = None

    def may(self, rule: AccessRule) -> bool:
        """Whether this identity passes the route's rule."""
        return rule is AccessRule.PUBLIC or self.role in ALLOWED_ROLES[rule]

    def may_report_for(self, server_id: str) -> bool:
        """Whether a heartbeat for `server_id` may come from this identity."""
        return self.server_id is None or self.server_id == server_id
