"""The hub's API key: configured, or generated once and kept in the data folder."""

import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = "api_key"


def load_or_create_key(data_dir: Path) -> tuple[str, bool]:
    """The stored key, creating it (mode 0600) on first start; True when it was just created."""
    path = data_dir / KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), False
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    # O_EXCL: two hubs starting at once must not both write a key; the loser reads the winner's.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip(), False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key, True


def key_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the presented key."""
    if given is None:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))
