"""`homelab-cmd`: serve the hub (default), or run one of its jobs."""

import argparse
import json
import logging
import sys

import uvicorn
from pydantic import SecretStr

from homelab_cmd.config import get_settings
from homelab_cmd.main import create_app


def _serve() -> int:
    settings = get_settings()
    app = create_app(settings)
    print(f"HomelabCmd hub on http://{settings.host}:{settings.port}", file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning")
    return 0


def _openapi() -> int:
    # The document does not depend on the key; a placeholder avoids creating a real one.
    placeholder = SecretStr("openapi-document-only-key")
    app = create_app(get_settings().model_copy(update={"api_key": placeholder}))
    print(json.dumps(app.openapi(), indent=2, sort_keys=True))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="homelab-cmd", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the API and web UI (the default)")
    sub.add_parser("openapi", help="print the OpenAPI document")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "openapi":
        return _openapi()
    return _serve()
