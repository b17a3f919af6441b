"""The first admin: from HOMELAB_CMD_ADMIN_USERNAME/PASSWORD, or through a one-time setup link."""

import hmac
import logging
import secrets
import threading
from collections.abc import Callable

from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import UserAccount
from homelab_cmd.errors import SetupUnavailable
from homelab_cmd.services.access.accounts import HUB, Actor, create_user, user_count
from homelab_cmd.services.access.hashing import PasswordGate
from homelab_cmd.services.access.tokens import hash_secret

log = logging.getLogger(__name__)


class SetupGate:
    """Holds the hash of the setup link's token while no account exists.

    The token lives in memory only: it is good until it is used or the hub restarts (a restart
    prints a new link). It travels in the URL fragment, which browsers never send to a server,
    so it stays out of proxy and access logs.
    """

    def __init__(self, token_hash: str | None = None) -> None:
        self._token_hash = token_hash
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        """Whether a setup link is waiting to be used."""
        return self._token_hash is not None

    def redeem(
        self,
        session: Session,
        token: str,
        account: tuple[str, str],
        *,
        source: str | None = None,
        passwords: PasswordGate | None = None,
    ) -> UserAccount:
        """Create the first admin, (username, password), if `token` is the link's; the link
        then stops working. The audit log names the actor `setup link`, from `source`."""
        username, password = account
        with self._lock:
            if self._token_hash is None or not hmac.compare_digest(
                hash_secret(token), self._token_hash
            ):
                raise SetupUnavailable("this setup link is not valid (used, or the hub restarted)")
            if user_count(session) > 0:
                self._token_hash = None
                raise SetupUnavailable("an admin already exists; sign in instead")
            user = create_user(
                session,
                username,
                password,
                actor=Actor("setup link", source),
                passwords=passwords,
            )
            self._token_hash = None
            return user


def prepare_first_admin(session_factory: Callable[[], Session], settings: Settings) -> SetupGate:
    """Create the configured admin on a hub without accounts, or open a setup link."""
    with session_factory() as session:
        if user_count(session) > 0:
            return SetupGate()
        if settings.admin_username and settings.admin_password:
            create_user(
                session,
                settings.admin_username,
                settings.admin_password.get_secret_value(),
                actor=HUB,
            )
            log.info("created the admin %r from HOMELAB_CMD_ADMIN_*", settings.admin_username)
            return SetupGate()
    token = secrets.token_urlsafe(24)
    log.warning(
        "no admin account yet: open %s/setup#token=%s to choose one "
        "(or run 'homelab-cmd users create NAME')",
        settings.base_url,
        token,
    )
    return SetupGate(hash_secret(token))
