"""Where the hub finds what `make dist` bundles into its wheel: the web UI and the agent wheel.

An installed wheel carries both inside the package: `homelab_cmd/web/` and
`homelab_cmd/agent_dist/`.
A checkout has neither there: the UI comes from `frontend/dist` (`make ui`) and the agent wheel
from `dist/` (`make dist`).
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


def agent_wheel() -> Path | None:
    """The agent wheel to hand to hosts: the bundled one, else the one in the checkout's `dist/`."""
    for folder in (PACKAGE_DIR / "agent_dist", CHECKOUT_DIR / "dist"):
        wheels = sorted(folder.glob("homelab_agent-*.whl"))
        if wheels:
            return wheels[-1]
    return None
