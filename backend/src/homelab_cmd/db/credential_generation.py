"""The shared revocation generation, moved by every change that ends a credential.

Here, below the services, because two service packages end credentials (access revokes tokens,
fleet deletes servers) and neither may import the other; services/access/revocation.py polls it.
"""

from sqlalchemy import update
from sqlalchemy.orm import Session

from homelab_cmd.db.models import CredentialState
from homelab_cmd.db.models.credential_state import STATE_ID


def bump_generation(session: Session) -> None:
    """Move the generation, in the caller's transaction: every hub forgets what it verified."""
    session.execute(
        update(CredentialState)
        .where(CredentialState.id == STATE_ID)
        .values(generation=CredentialState.generation + 1)
    )
