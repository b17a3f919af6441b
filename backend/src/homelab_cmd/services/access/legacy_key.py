"""The shared key of earlier versions; agents configured with it keep reporting.

HomelabCmd 1.x agents carry the hub's `HOMELAB_CMD_API_KEY`; here that key is given as
`HOMELAB_CMD_LEGACY_AGENT_KEY` (or found in `DATA_DIR/api_key`, where earlier versions of this
hub kept theirs). It is accepted for heartbeats only, and only for servers that never enrolled.
Whether it is turned off is shared by every hub on the database
(`credential_state.legacy_key_disabled_at`); the key file is renamed as well, as earlier versions
did, so each hub's data folder agrees.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Server
from homelab_cmd.schemas.enrollment import LegacyKeyServer, LegacyKeyStatus
from homelab_cmd.services import audit
from homelab_cmd.services.access import revocation

log = logging.getLogger(__name__)

KEY_FILE = "api_key"
DISABLED_SUFFIX = ".disabled"


def read_legacy_key(data_dir: Path) -> str | None:
    """The key an earlier version stored in the data folder, if there is one.

    It is accepted for heartbeats only, so upgraded agents keep reporting until they are enrolled.
    """
    path = data_dir / KEY_FILE
    if not path.exists():
        return None
    key = path.read_text(encoding="utf-8").strip()
    return key or None


@dataclass(frozen=True)
class LegacyKey:
    """The legacy key in force and where it came from (for the log, never the key itself)."""

    key: str
    source: str


def configured_legacy_key(data_dir: Path, from_env: str | None) -> LegacyKey | None:
    """HOMELAB_CMD_LEGACY_AGENT_KEY when set, else the key file in the data folder, else None.

    One key is accepted: a key file that holds another key than the variable is left unused,
    with a warning, so the operator learns which one old agents must carry.
    """
    in_file = read_legacy_key(data_dir)
    env_key = from_env.strip() if from_env else None
    if env_key:
        if in_file is not None and in_file != env_key:
            log.warning(
                "%s holds another key than HOMELAB_CMD_LEGACY_AGENT_KEY; only the variable's "
                "is accepted from old agents",
                data_dir / KEY_FILE,
            )
        return LegacyKey(env_key, "HOMELAB_CMD_LEGACY_AGENT_KEY")
    if in_file is not None:
        return LegacyKey(in_file, str(data_dir / KEY_FILE))
    return None


def disable_legacy_key(data_dir: Path) -> bool:
    """Rename the key file, so this data folder keeps it off after a restart.

    Returns whether there was a key file to rename.
    """
    path = data_dir / KEY_FILE
    if not path.exists():
        return False
    path.replace(path.with_name(KEY_FILE + DISABLED_SUFFIX))
    return True


def status(session: Session, enabled: bool, seen: list[tuple[str, datetime]]) -> LegacyKeyStatus:
    """Whether the key is on, the servers seen using it (and whether it still reports for
    each), and every server that never enrolled: the only ones it may report for."""
    never_enrolled = list(
        session.scalars(select(Server.id).where(Server.enrolled_at.is_(None)).order_by(Server.id))
    )
    enrolled = set(
        session.scalars(
            select(Server.id).where(
                Server.id.in_([server_id for server_id, _ in seen]),
                Server.enrolled_at.is_not(None),
            )
        )
    )
    return LegacyKeyStatus(
        enabled=enabled,
        servers=[
            LegacyKeyServer(server_id=s, last_heartbeat_at=at, may_report=s not in enrolled)
            for s, at in seen
        ],
        never_enrolled=never_enrolled,
    )


def turn_off(session: Session, data_dir: Path, actor: str, source: str | None) -> bool:
    """Refuse the legacy key on every hub from now on (committed with its audit event).

    Returns whether it was still on.
    """
    now = datetime.now(UTC)
    changed = revocation.disable_legacy_key(session, now)
    if changed:
        audit.record(session, "legacy_key.disabled", actor, now, source=source)
    session.commit()
    disable_legacy_key(data_dir)
    return changed


def reconcile_at_start(session: Session, data_dir: Path) -> None:
    """Make the data folder and the shared row agree when the hub starts.

    A `.disabled` file (turned off by a version that only renamed it) turns the key off for
    every hub; a key turned off on another hub has this folder's file renamed too.
    """
    revocation.ensure_row(session)
    session.commit()
    state = revocation.read_state(session)
    renamed = (data_dir / (KEY_FILE + DISABLED_SUFFIX)).exists()
    if renamed and not state.legacy_key_disabled:
        now = datetime.now(UTC)
        if revocation.disable_legacy_key(session, now):
            audit.record(
                session,
                "legacy_key.disabled",
                "hub",
                now,
                detail=f"{KEY_FILE}{DISABLED_SUFFIX} found in the data folder at start",
            )
        session.commit()
    elif state.legacy_key_disabled and disable_legacy_key(data_dir):
        log.warning("the legacy shared key was turned off on another hub; its file is renamed")
