"""The shared key earlier hub versions generated; agents configured with it keep reporting."""

import threading
from datetime import UTC, datetime
from pathlib import Path

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


def disable_legacy_key(data_dir: Path) -> bool:
    """Stop accepting the shared key, for good: its file is renamed, so a restart keeps it off.

    Returns whether there was a key to turn off.
    """
    path = data_dir / KEY_FILE
    if not path.exists():
        return False
    path.replace(path.with_name(KEY_FILE + DISABLED_SUFFIX))
    return True


class LegacyKeyUsers:
    """The servers whose heartbeats came with the shared key, since the hub started.

    Bounded by the server cap; a heartbeat with the server's own token takes it off the list.
    """

    def __init__(self, max_entries: int) -> None:
        self._seen: dict[str, datetime] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def saw(self, server_id: str) -> None:
        with self._lock:
            if server_id in self._seen or len(self._seen) < self._max:
                self._seen[server_id] = datetime.now(UTC).replace(microsecond=0)

    def moved_on(self, server_id: str) -> None:
        if server_id in self._seen:
            with self._lock:
                self._seen.pop(server_id, None)

    def servers(self) -> list[tuple[str, datetime]]:
        with self._lock:
            return sorted(self._seen.items())
