"""Directory trees the usage-scan tests build on a real filesystem."""

from pathlib import Path


def long_named_tree(root: Path) -> None:
    """1,728 leaf directories three deep, with 200-character names and a file of their own."""
    for a in range(12):
        for b in range(12):
            for c in range(12):
                leaf = root / f"{a:02d}{'a' * 198}" / f"{b:02d}{'b' * 198}" / f"{c:02d}{'c' * 198}"
                leaf.mkdir(parents=True)
                (leaf / "f").write_bytes(b"x" * 4096 * (1 + a + 2 * b + 3 * c))
