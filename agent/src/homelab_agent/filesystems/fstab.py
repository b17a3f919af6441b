"""`/etc/fstab`: which mounts the host expects, each line with the reason it is or is not expected.

A line is expected when it would be mounted at boot and names a real filesystem: `noauto`, swap
and virtual types (tmpfs, proc, …) are not. `x-systemd.automount` lines are expected but show as
an `autofs` mount until first used. Paths use the same octal escapes as the mount table
(`\\040` for a space); sources may be `UUID=`, `LABEL=`, `PARTUUID=` or `PARTLABEL=` tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from homelab_agent.filesystems.filtering import FilterRules, matching_pattern, under_prefix
from homelab_agent.filesystems.mounts import read_raw_text, unescape

EXPECTED = "EXPECTED"
_TAGS = {
    "UUID": "by-uuid",
    "LABEL": "by-label",
    "PARTUUID": "by-partuuid",
    "PARTLABEL": "by-partlabel",
}
_MIN_FIELDS = 3  # source, mount point, type; options, dump and pass may be left out
SWAP_TYPES = frozenset({"swap", "sw"})


@dataclass(frozen=True, slots=True)
class FstabEntry:
    """One mount line of an fstab, escapes decoded."""

    line_number: int
    source: str
    mount_point: str
    fs_type: str
    options: tuple[str, ...]

    @property
    def automount(self) -> bool:
        """systemd mounts it on first access; until then an autofs mount holds the path."""
        return "x-systemd.automount" in self.options

    @property
    def device_path(self) -> str | None:
        """The block device a `UUID=`/`LABEL=` tag or a /dev path names, when it names one."""
        tag, sep, value = self.source.partition("=")
        if sep and tag in _TAGS:
            return f"/dev/disk/{_TAGS[tag]}/{value}"
        return self.source if self.source.startswith("/dev/") else None


@dataclass(frozen=True, slots=True)
class FstabLine:
    """A non-comment line: its entry (None when malformed) and why it is or is not expected."""

    line_number: int
    text: str
    entry: FstabEntry | None
    reason: str

    @property
    def expected(self) -> bool:
        """True when the host should have this mounted."""
        return self.reason == EXPECTED


def _not_expected(entry: FstabEntry, rules: FilterRules) -> str | None:  # noqa: PLR0911 - a rule each
    if entry.fs_type in SWAP_TYPES or entry.mount_point in ("none", "swap"):
        return "swap"
    if not entry.mount_point.startswith("/"):
        return f"mount point {entry.mount_point!r} is not an absolute path"
    if "noauto" in entry.options:
        return "noauto: mounted only on demand"
    if matching_pattern(entry.mount_point, rules.include_mount_patterns):
        return None
    pattern = matching_pattern(entry.mount_point, rules.exclude_mount_patterns)
    if pattern:
        return f"mount point matches exclude pattern {pattern}"
    forced = entry.fs_type in rules.include_fs_types
    if entry.fs_type in rules.exclude_fs_types and not forced:
        return f"virtual filesystem type {entry.fs_type}"
    for prefix in rules.pseudo_mount_prefixes:
        if under_prefix(entry.mount_point, prefix):
            return f"pseudo or container path below {prefix.rstrip('/') or '/'}"
    return None


def parse_fstab(text: str, rules: FilterRules | None = None) -> list[FstabLine]:
    """Every non-blank, non-comment line with its entry and reason."""
    rules = rules or FilterRules()
    lines: list[FstabLine] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) < _MIN_FIELDS:
            lines.append(FstabLine(number, line, None, "malformed: fewer than 3 fields"))
            continue
        options = tuple(fields[3].split(",")) if len(fields) > _MIN_FIELDS else ("defaults",)
        entry = FstabEntry(
            line_number=number,
            source=unescape(fields[0]),
            mount_point=unescape(fields[1]).rstrip("/") or "/",
            fs_type=unescape(fields[2]),
            options=options,
        )
        lines.append(FstabLine(number, line, entry, _not_expected(entry, rules) or EXPECTED))
    return lines


def read_fstab(path: Path, rules: FilterRules | None = None) -> list[FstabLine]:
    """Parse an fstab file; a missing file is an empty one (containers often have none)."""
    try:
        return parse_fstab(read_raw_text(path), rules)
    except FileNotFoundError:
        return []
