"""A scan's directory tree as stored: compact JSON text, read whole or not at all."""

import json
from collections.abc import Iterable

from homelab_cmd.schemas.usage import UsageDirectory


def encode(directories: Iterable[UsageDirectory]) -> str:
    """[[path, bytes, other_bytes], …] in the agent's order (root first)."""
    rows = [[d.path, d.bytes, d.other_bytes] for d in directories]
    return json.dumps(rows, separators=(",", ":"), ensure_ascii=False)


def decode(text: str) -> list[UsageDirectory]:
    """The stored tree back as directories."""
    return [UsageDirectory(path=p, bytes=b, other_bytes=o) for p, b, o in json.loads(text)]


def sizes(text: str) -> list[tuple[str, int]]:
    """(path, bytes) of each stored directory, without building models: what growth compares."""
    return [(p, b) for p, b, _ in json.loads(text)]
