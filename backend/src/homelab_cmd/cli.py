"""`homelab-cmd`: serve the hub (default), or run one of its jobs."""

import argparse
import json
import logging
import math
import resource
import sys
from datetime import UTC, datetime

import uvicorn

from homelab_cmd import __version__
from homelab_cmd.config import get_settings
from homelab_cmd.connections import ConnectionGuard
from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from homelab_cmd.main import create_app
from homelab_cmd.services.maintenance import run_maintenance


def _raise_open_files_limit(wanted: int) -> None:
    """Lift the soft limit on open files to the hard one (systemd's LimitNOFILE)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        soft = hard if hard != resource.RLIM_INFINITY else max(soft, wanted)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft != resource.RLIM_INFINITY and soft < wanted:
        logging.getLogger(__name__).warning(
            "open files limited to %d, below MAX_CONNECTIONS plus room for the database (%d): "
            "raise LimitNOFILE or lower HOMELAB_CMD_MAX_CONNECTIONS",
            soft,
            wanted,
        )


def _serve() -> int:
    settings = get_settings()
    app = create_app(settings)
    guard = ConnectionGuard(
        header_timeout=settings.header_timeout_seconds,
        keep_alive=settings.keep_alive_seconds,
        body_min_rate=settings.body_min_bytes_per_second,
        max_connections=settings.max_connections,
    )
    _raise_open_files_limit(settings.max_connections + 256)
    print(f"HomelabCmd hub on http://{settings.host}:{settings.port}", file=sys.stderr)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        http=guard.protocol(),
        timeout_keep_alive=max(1, math.ceil(settings.keep_alive_seconds)),
    )
    uvicorn.Server(config).run()
    return 0


def _openapi() -> int:
    app = create_app(get_settings())
    print(json.dumps(app.openapi(), indent=2, sort_keys=True))
    return 0


def _maintenance() -> int:
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url, settings.sqlite_synchronous)
    upgrade_to_head(engine)
    report = run_maintenance(engine, settings, datetime.now(UTC))
    engine.dispose()
    print("\n".join(report.lines()))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="homelab-cmd", description=__doc__)
    parser.add_argument("--version", action="version", version=f"homelab-cmd {__version__}")
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
