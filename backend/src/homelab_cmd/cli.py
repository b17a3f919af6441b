"""`homelab-cmd`: serve the hub (default), or run one of its jobs."""

import argparse
import json
import logging
import sys
from datetime import UTC, datetime

import uvicorn

from homelab_cmd.config import get_settings
from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from homelab_cmd.main import create_app
from homelab_cmd.services.maintenance import run_maintenance


def _serve() -> int:
    settings = get_settings()
    app = create_app(settings)
    print(f"HomelabCmd hub on http://{settings.host}:{settings.port}", file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    return 0


def _openapi() -> int:
    app = create_app(get_settings())
    print(json.dumps(app.openapi(), indent=2, sort_keys=True))
    return 0


def _maintenance() -> int:
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    upgrade_to_head(engine)
    report = run_maintenance(engine, settings, datetime.now(UTC))
    engine.dispose()
    print("\n".join(report.lines()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="homelab-cmd", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the API and web UI (the default)")
    sub.add_parser("openapi", help="print the OpenAPI document")
    sub.add_parser("maintenance", help="roll up history and prune old rows once, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic narrates every start ("Context impl SQLiteImpl"); upgrades are logged by the hub.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.command == "openapi":
        return _openapi()
    if args.command == "maintenance":
        return _maintenance()
    return _serve()
