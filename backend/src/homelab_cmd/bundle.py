"""Where the hub finds what `make dist` bundles into its wheel: the web UI and the agent wheel.

An installed wheel carries both inside the package: `homelab_cmd/web/` and
`homelab_cmd/agent_dist/` (the agent wheel, the pinned versions it is tested with, and its
systemd unit). A checkout has neither there: the UI comes from `frontend/dist` (`make ui`), the
agent wheel from `dist/` (`make dist`) or is built from `agent/` on first need
(services/enrollment/agent_bundle.py), the pins from `requirements/` and the unit from `deploy/`.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parents[2]


def ui_dir() -> Path:
    """The built web UI: the one inside the package, else the checkout's `frontend/dist`."""
    packaged = PACKAGE_DIR / "web"
    if (packaged / "index.html").is_file():
        return packaged
    return CHECKOUT_DIR / "frontend" / "dist"


def agent_wheel(version: str | None = None) -> Path | None:
    """The agent wheel to hand to hosts: the bundled one, else the checkout's `dist/` one (of
    `version`, when given, so a stale build is not handed out)."""
    for folder in (PACKAGE_DIR / "agent_dist", CHECKOUT_DIR / "dist"):
        pattern = f"homelab_agent-{version}-*.whl" if version else "homelab_agent-*.whl"
        wheels = sorted(folder.glob(pattern))
        if wheels:
            return wheels[-1]
    return None


def agent_source() -> Path | None:
    """The agent's source folder in a checkout, to build its wheel from; None when installed."""
    source = CHECKOUT_DIR / "agent"
    return source if (source / "pyproject.toml").is_file() else None


def agent_constraints() -> Path | None:
    """The exact versions hosts install the agent's dependencies at."""
    for path in (
        PACKAGE_DIR / "agent_dist" / "constraints.txt",
        CHECKOUT_DIR / "requirements" / "constraints.txt",
    ):
        if path.is_file():
            return path
    return None


def agent_unit() -> Path | None:
    """The agent's systemd unit."""
    for path in (
        PACKAGE_DIR / "agent_dist" / "homelab-agent.service",
        CHECKOUT_DIR / "deploy" / "homelab-agent.service",
    ):
        if path.is_file():
            return path
    return None
