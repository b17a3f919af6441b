"""A bounded mapping that forgets the least recently used entry first."""

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """At most `capacity` entries; `get` and `put` mark an entry as recently used.

    Used from the writer thread while request threads may call `pop`: every method is one or two
    OrderedDict operations, each atomic under the GIL, and `keys` returns a copy.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._data: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: K) -> V | None:
        value = self._data.get(key)
        if value is not None:
            try:
                self._data.move_to_end(key)
            except KeyError:  # popped by another thread in between
                return value
        return value

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.capacity:
            try:
                self._data.popitem(last=False)
            except KeyError:
                break

    def pop(self, key: K) -> None:
        self._data.pop(key, None)

    def snapshot(self) -> list[K]:
        return list(self._data)

    def clear(self) -> None:
        self._data.clear()
