"""Mount tables: pure parsers for `/proc/self/mountinfo` and `/proc/mounts`, plus the read.

The kernel escapes space, tab, newline and backslash in paths as `\\ooo` octal (see
proc_pid_mountinfo(5)); it does not escape a carriage return, so lines are split on "\\n" only.

Paths are bytes to the kernel. The table is decoded as UTF-8 with `surrogateescape`, so a path
that is not valid UTF-8 survives the round trip to statvfs; `clean_text` turns it into valid
UTF-8 (U+FFFD for each bad byte) before it is shown or sent. Parsing never raises: a line the
kernel could not have written is skipped, and the rest of the table is still used.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

MountTableFormat = Literal["mountinfo", "mounts"]

_OCTAL = re.compile(r"\\([0-7]{3})")
_MOUNTINFO_LINE = re.compile(r"^ *\d+ +\d+ +\d+:\d+ +\S+ +/\S* .* - ")
_DETECT_LINES = 50  # lines looked at to tell the two formats apart
_MOUNTINFO_PRE_FIELDS = 6  # id, parent, major:minor, root, mount point, mount options
_MOUNTS_FIELDS = 4  # source, mount point, fs type, options (dump and pass are optional)


@dataclass(frozen=True, slots=True)
class Mount:
    """One line of a mount table, with octal escapes decoded."""

    source: str
    mount_point: str
    fs_type: str
    mount_options: tuple[str, ...]
    super_options: str = ""
    root: str | None = None
    major: int | None = None
    minor: int | None = None
    mount_id: int | None = None

    @property
    def device_number(self) -> str | None:
        """`major:minor` as mountinfo shows it, or None for a /proc/mounts line."""
        if self.major is None or self.minor is None:
            return None
        return f"{self.major}:{self.minor}"

    @property
    def read_only(self) -> bool:
        """True when the mount or its superblock is read-only."""
        return "ro" in self.mount_options or "ro" in self.super_options.split(",")

    def super_option(self, name: str) -> str | None:
        """Value of `name=value` among the super options (or mount options without them)."""
        text = self.super_options or ",".join(self.mount_options)
        prefix = name + "="
        for item in text.split(","):
            if item.startswith(prefix):
                return item[len(prefix) :]
        return None


def _octal_byte(match: re.Match[str]) -> str:
    value = int(match.group(1), 8)
    if value > 0xFF:
        return match.group(0)  # not a byte: no kernel wrote this, keep it as text
    # A byte: ASCII as itself, a high byte as its surrogateescape stand-in (like the decoder).
    return chr(value) if value < 0x80 else chr(0xDC00 + value)


def unescape(field: str) -> str:
    """Decode the kernel's `\\ooo` octal escapes (`\\040` space, `\\134` backslash, …)."""
    if "\\" not in field:
        return field
    return _OCTAL.sub(_octal_byte, field)


def clean_text(text: str) -> str:
    """Valid UTF-8 without NUL for display and the wire: undecodable bytes become U+FFFD.

    The hub refuses lone surrogates and NUL (422), which would lose the whole heartbeat.
    """
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "replace")
    return raw.decode("utf-8", "replace").replace("\x00", "\ufffd")


def _fields(text: str) -> list[str]:
    # Split on spaces only: a raw CR or tab inside a field belongs to that field.
    return [f for f in text.split(" ") if f]


def _lines(text: str) -> list[str]:
    return [line.rstrip("\r") for line in text.split("\n")]


def detect_format(text: str) -> MountTableFormat:
    """Tell mountinfo from /proc/mounts by a majority of the first non-blank lines.

    One malformed first line (or a mounts line that starts with a space) does not decide.
    """
    votes = 0
    seen = 0
    for line in text.split("\n"):
        if not line.strip():
            continue
        votes += 1 if _MOUNTINFO_LINE.match(line) else -1
        seen += 1
        if seen >= _DETECT_LINES:
            break
    return "mountinfo" if votes > 0 else "mounts"


def _plausible(mount: Mount) -> bool:
    # The kernel never writes NUL (it cannot be in a path) nor a relative mount point.
    fields = (mount.source, mount.mount_point, mount.fs_type, mount.root or "")
    return mount.mount_point.startswith("/") and not any("\x00" in f for f in fields)


def _parse_mountinfo_line(line: str) -> Mount | None:
    pre, sep, post = line.partition(" - ")
    if not sep:
        return None
    head = _fields(pre)
    # The super options come last and may hold unescaped spaces (cifs `unc=\\srv\a b`).
    tail = post.strip(" ").split(" ", 2)
    tail = [t for t in tail[:2] if t] + tail[2:]
    if len(head) < _MOUNTINFO_PRE_FIELDS or len(tail) < 2:
        return None
    mount_id, _parent, dev, root, mount_point, options = head[:_MOUNTINFO_PRE_FIELDS]
    major, colon, minor = dev.partition(":")
    if not (mount_id.isdigit() and colon and major.isdigit() and minor.isdigit()):
        return None
    return Mount(
        source=unescape(tail[1]),
        mount_point=unescape(mount_point),
        fs_type=unescape(tail[0]),
        mount_options=tuple(options.split(",")),
        super_options=tail[2].strip(" ") if len(tail) > 2 else "",
        root=unescape(root),
        major=int(major),
        minor=int(minor),
        mount_id=int(mount_id),
    )


def parse_mountinfo(text: str) -> list[Mount]:
    """Parse `/proc/<pid>/mountinfo`; malformed lines are skipped with a debug log."""
    mounts: list[Mount] = []
    for number, line in enumerate(_lines(text), start=1):
        if not line.strip(" "):
            continue
        try:
            mount = _parse_mountinfo_line(line)
        except (ValueError, OverflowError):
            mount = None
        if mount is None or not _plausible(mount):
            log.debug("mountinfo line %d is malformed, skipped: %r", number, line)
            continue
        mounts.append(mount)
    return mounts


def parse_mounts(text: str) -> list[Mount]:
    """Parse `/proc/mounts` (fstab format); malformed lines are skipped with a debug log."""
    mounts: list[Mount] = []
    for number, line in enumerate(_lines(text), start=1):
        fields = _fields(line)
        if not fields:
            continue
        if len(fields) < _MOUNTS_FIELDS or not fields[1].startswith("/"):
            log.debug("mounts line %d is malformed, skipped: %r", number, line)
            continue
        mount = Mount(
            source=unescape(fields[0]),
            mount_point=unescape(fields[1]),
            fs_type=unescape(fields[2]),
            mount_options=tuple(fields[3].split(",")),
        )
        if not _plausible(mount):
            log.debug("mounts line %d is malformed, skipped: %r", number, line)
            continue
        mounts.append(mount)
    return mounts


def parse_mount_table(text: str) -> list[Mount]:
    """Parse either format, detected from the content."""
    if detect_format(text) == "mountinfo":
        return parse_mountinfo(text)
    return parse_mounts(text)


def read_raw_text(path: Path) -> str:
    """Read a mount table without newline translation, which would turn a raw CR into a line end."""
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as handle:
        return handle.read()


def read_mount_table(proc_root: Path, pid: str = "self") -> list[Mount]:
    """Read `<proc_root>/<pid>/mountinfo`, falling back to the same process's mounts.

    `pid` is "self" for this process's mount namespace, "1" for the host's seen from a
    container (config `mount_table_pid`): there `<proc_root>/mounts` is a link to self/mounts,
    the container's own table, so the fallback stays with the process asked for.
    """
    fallback = proc_root / "mounts" if pid == "self" else proc_root / pid / "mounts"
    try:
        mounts = parse_mountinfo(read_raw_text(proc_root / pid / "mountinfo"))
    except OSError as exc:
        log.debug("mountinfo unreadable (%s), falling back to mounts", exc)
        return parse_mounts(read_raw_text(fallback))
    if mounts:
        return mounts
    log.debug("mountinfo holds no usable line, falling back to mounts")
    try:
        return parse_mounts(read_raw_text(fallback))
    except OSError:
        return mounts
