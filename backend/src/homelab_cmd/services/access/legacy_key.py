"""The shared key earlier hub versions generated; agents configured with it keep reporting."""

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
