"""Hard-linked files met during a scan, in a compact table, so each counts once.

A file with several links is remembered (by device and inode) until all its links are met, then
forgotten. rsnapshot, BackupPC and pnpm stores hold millions of links whose other links lie far
apart in the walk, so the table is an open-addressing hash table in two flat arrays (8 bytes of
key and 4 of links left per slot) rather than a dict (about 100 bytes an entry): a million
pending files cost about 24 MiB, and the table grows from a few KiB only as links are met.

Past its capacity a further hard-linked file is counted each time one of its links is met, and
the scan says how many were (`links_over_budget`): its totals may then be too large.
"""

from __future__ import annotations

from array import array

# Files whose other links have not all been met yet: at most this many at once.
MAX_PENDING_LINKS = 1_000_000
_EMPTY, _GONE = 0, 1  # slot markers; keys are ≥ 2
_MASK = (1 << 64) - 1
_FIRST_SLOTS = 1 << 12
_MIX = 0x9E3779B97F4A7C15  # Fibonacci hashing: neighbouring inode numbers spread over the table


class LinkTable:
    """Pending hard links: (device, inode) → links not met yet."""

    def __init__(self, capacity: int = MAX_PENDING_LINKS) -> None:
        self.capacity = capacity
        self.pending = 0
        self._used = 0  # pending + tombstones
        self._keys = array("Q")
        self._left = array("I")
        self._devices: dict[int, int] = {}

    def _key(self, dev: int, ino: int) -> int:
        index = self._devices.setdefault(dev, len(self._devices))
        if ino >> 55 == 0 and index < 256:
            return (ino << 8 | index) + 2  # exact: inode numbers below 2**55, 256 devices
        return (hash((dev, ino)) & _MASK) | 2  # beyond: a 64-bit hash (a clash is ~never)

    def _slot(self, key: int) -> int:
        """The slot holding `key`, or the empty slot where it would go."""
        keys = self._keys
        mask = len(keys) - 1
        slot = ((key * _MIX) & _MASK) >> 20 & mask
        gone = -1
        while True:
            here = keys[slot]
            if here == key:
                return slot
            if here == _EMPTY:
                return gone if gone >= 0 else slot
            if here == _GONE and gone < 0:
                gone = slot
            slot = (slot + 1) & mask

    def _resize(self) -> None:
        slots = max(_FIRST_SLOTS, len(self._keys))
        while self.pending * 2 >= slots:  # live entries stay below half the slots
            slots *= 2
        old_keys, old_left = self._keys, self._left
        self._keys = array("Q", [0]) * slots  # no temporary bytes of the same size
        self._left = array("I", [0]) * slots
        self._used = self.pending
        for index, key in enumerate(old_keys):  # no list of the entries: memory stays flat
            if key > _GONE:
                slot = self._slot(key)
                self._keys[slot] = key
                self._left[slot] = old_left[index]

    def first_link(self, dev: int, ino: int, nlink: int) -> bool | None:
        """True for the first link met of a file, False for a later one, None when the table
        is full and the file cannot be remembered (the caller counts it, possibly again)."""
        if not self._keys:
            self._resize()
        key = self._key(dev, ino)
        slot = self._slot(key)
        if self._keys[slot] == key:
            left = self._left[slot] - 1
            if left <= 0:
                self._keys[slot] = _GONE  # every link met: forget it
                self.pending -= 1
            else:
                self._left[slot] = left
            return False
        if self.pending >= self.capacity:
            return None
        if self._keys[slot] == _EMPTY:
            self._used += 1
        self._keys[slot] = key
        self._left[slot] = min(nlink - 1, 0xFFFFFFFF)
        self.pending += 1
        if self._used * 10 >= len(self._keys) * 7:  # tombstones and entries: rebuild
            self._resize()
        return True

    @property
    def allocated_bytes(self) -> int:
        """Memory the table's arrays hold."""
        return len(self._keys) * 8 + len(self._left) * 4
