"""A hostile agent's usage scan: a tree thousands of levels deep is refused, and naming where a
change happened does work in proportion to the paths listed, whatever their depth."""

from dataclasses import dataclass

import pytest

from homelab_cmd.domain import usage
from homelab_cmd.domain.usage import where_it_happened


@dataclass(frozen=True)
class Change:
    path: str
    change: int


def chain(levels: int, name: str = "d", base: str = "/srv") -> list[str]:
    """/srv/d, /srv/d/d, … `levels` deep: each path one level below the one before."""
    paths, here = [], base
    for _ in range(levels):
        here += "/" + name
        paths.append(here)
    return paths


def test_a_chain_2000_levels_deep_is_named_at_its_deepest_with_bounded_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The old walk went up every level of every path: 2,000 paths of up to 4,000 characters,
    # about 2,000 ancestors each (quadratic, seconds on the writer thread for one scan).
    paths = chain(2000, "d")
    changes = [Change("/srv", 10)] + [Change(p, 10) for p in paths]
    calls = 0
    real = usage._is_below

    def counted(path: str, ancestor: str) -> bool:
        nonlocal calls
        calls += 1
        return real(path, ancestor)

    monkeypatch.setattr(usage, "_is_below", counted)

    named = where_it_happened(changes, "/srv")

    # Each level's change is its child's: only the deepest directory names it.
    assert named == [changes[-1]]
    # A stack pass (a push and at most one pop per path) and one mount check per path.
    assert calls <= 4 * len(changes)


def test_changes_spread_over_siblings_are_all_named_with_bounded_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Many siblings under one parent, each a chain of its own: the parent's change is spread.
    changes = [Change("/srv", 1000), Change("/srv/p", 1000)]
    for i in range(100):
        changes += [Change(p, 10) for p in chain(20, f"s{i}", "/srv/p")]
    calls = 0
    real = usage._is_below

    def counted(path: str, ancestor: str) -> bool:
        nonlocal calls
        calls += 1
        return real(path, ancestor)

    monkeypatch.setattr(usage, "_is_below", counted)

    named = where_it_happened(changes, "/srv")

    deepest = {chain(20, f"s{i}", "/srv/p")[-1] for i in range(100)}
    assert {c.path for c in named} == {"/srv/p"} | deepest
    assert calls <= 4 * len(changes)
