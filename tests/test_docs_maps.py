"""The map of the hub in docs/backend.md names every module of `services/`."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ROOT / "backend" / "src" / "homelab_cmd" / "services"
MAP = ROOT / "docs" / "backend.md"


def service_modules() -> list[str]:
    """Every module under services/, by its path from there (`alerts/evaluation.py`)."""
    return sorted(
        path.relative_to(SERVICES).as_posix()
        for path in SERVICES.rglob("*.py")
        if path.name != "__init__.py"
    )


def mapped_modules(text: str) -> set[str]:
    """The modules the map's tree names: `name.py` under the package lines it is indented in."""
    tree = text.split("```\nbackend/src/homelab_cmd/\n", 1)[1].split("\n```", 1)[0]
    names: set[str] = set()
    folders: list[tuple[int, str]] = []
    for line in tree.splitlines():
        match = re.match(r"( *)(\S+/|[\w.]+\.py(?:, [\w.]+\.py)*)(?:\s|$)", line)
        if match is None:
            continue
        indent, entry = len(match[1]), match[2]
        while folders and folders[-1][0] >= indent:
            folders.pop()
        if entry.endswith("/"):
            folders.append((indent, entry))
        else:
            prefix = "".join(folder for _, folder in folders)
            names.update(prefix + name for name in entry.split(", "))
    return names


def test_the_backend_map_lists_every_service_module() -> None:
    in_map = {
        name.removeprefix("services/")
        for name in mapped_modules(MAP.read_text())
        if name.startswith("services/")
    }
    missing = [m for m in service_modules() if m not in in_map]
    assert not missing, (
        f"docs/backend.md's map does not list these modules of services/: {', '.join(missing)}; "
        "add each under its package with one line on what it holds"
    )


def test_the_backend_map_names_no_service_module_that_is_gone() -> None:
    in_map = {
        name.removeprefix("services/")
        for name in mapped_modules(MAP.read_text())
        if name.startswith("services/")
    }
    gone = sorted(in_map - set(service_modules()))
    assert not gone, f"docs/backend.md's map lists modules services/ no longer has: {gone}"
