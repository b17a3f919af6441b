"""`homelab-cmd`: serve the hub (default), or run one of its jobs."""

import argparse
import gc
import getpass
import json
import logging
import math
import resource
import sys
from datetime import UTC, datetime

import uvicorn
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homelab_cmd import __version__
from homelab_cmd.config import get_settings
from homelab_cmd.connections import ConnectionGuard
from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from homelab_cmd.errors import HomelabError, InvalidAccount
from homelab_cmd.main import create_app
from homelab_cmd.services.access import accounts
from homelab_cmd.services.enrollment.tls import tls_files
from homelab_cmd.services.maintenance.passes import run_maintenance
from homelab_cmd.services.upgrade.importer import Retention, import_original
from homelab_cmd.services.upgrade.original import OriginalDatabase, OriginalDatabaseError

# The exit status of a start refused for its settings (a known default key among them), told
# apart from a crash so service managers and scripts can say "fix the configuration".
SETTINGS_REFUSED = 2


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


# Allocations (net of frees) between two young collections. CPython's 700 ran one every dozen
# heartbeats, each walking every request in flight: about 3 % of the hub's CPU under load, and
# pauses of a few milliseconds. A request's objects are freed by reference counting as it ends;
# only cycles wait for a collection, and 10,000 objects bound what they can hold.
YOUNG_COLLECTION_THRESHOLD = 10_000


def _tune_gc() -> None:
    # What the hub holds for its whole life is left out of every collection by the app's
    # lifespan (main.py), once it has started.
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD)


def _serve() -> int:
    settings = get_settings()
    app = create_app(settings)
    _tune_gc()
    guard = ConnectionGuard(
        header_timeout=settings.header_timeout_seconds,
        keep_alive=settings.keep_alive_seconds,
        body_min_rate=settings.body_min_bytes_per_second,
        max_connections=settings.max_connections,
    )
    _raise_open_files_limit(settings.max_connections + 256)
    # Made (self-signed) before the server starts, so uvicorn and the app see the same files.
    files = tls_files(settings)
    print(f"HomelabCmd hub on {settings.scheme}://{settings.host}:{settings.port}", file=sys.stderr)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        http=guard.protocol(),
        # The hub serves no WebSocket: an upgrade is answered as plain HTTP. uvicorn would hand
        # the socket to its WebSocket protocol, which the guard never hears close again, so every
        # attempt held one of its connection places for good.
        ws="none",
        timeout_keep_alive=max(1, math.ceil(settings.keep_alive_seconds)),
        ssl_certfile=str(files.cert) if files else None,
        ssl_keyfile=str(files.key) if files else None,
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: only the
        # proxies named in HOMELAB_CMD_TRUSTED_PROXIES are (api/deps.py's client_address).
        proxy_headers=bool(settings.trusted_proxy_list),
        forwarded_allow_ips=settings.trusted_proxy_list or None,
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


def _import_homelabcmd(location: str) -> int:
    """Bring a HomelabCmd 1.x database into this hub's (docs/upgrading.md), then roll it up."""
    settings = get_settings()
    try:
        original = OriginalDatabase(location)
    except OriginalDatabaseError as exc:
        print(f"homelab-cmd import-homelabcmd: {exc}; nothing was imported", file=sys.stderr)
        return 1
    engine = make_engine(settings.resolved_database_url, settings.sqlite_synchronous)
    try:
        upgrade_to_head(engine)
        retention = Retention(settings.hourly_retention_days, settings.daily_retention_days)
        report = import_original(engine, original, retention, datetime.now(UTC))
        # The imported hours are queued like heartbeats': rolled up and forecast now, as the
        # running hub's next maintenance pass would.
        rolled = run_maintenance(engine, settings, datetime.now(UTC))
    finally:
        original.close()
        engine.dispose()
    print(f"imported {original.path} into {settings.resolved_database_url}")
    print("\n".join(report.lines()))
    print("\n".join(f"maintenance: {line}" for line in rolled.lines()))
    return 0


def _settings_problems(exc: ValidationError) -> str:
    """The hub's refusal to start, one line per setting, never echoing a value (keys!)."""
    lines = ["homelab-cmd: the hub does not start with these settings:"]
    for error in exc.errors(include_input=False, include_url=False):
        where = "HOMELAB_CMD_" + "_".join(str(part) for part in error["loc"]).upper()
        message = error["msg"].removeprefix("Value error, ")
        lines.append(
            f"  {message}" if message.startswith("HOMELAB_CMD_") else f"  {where}: {message}"
        )
    return "\n".join(lines)


def _read_password(from_stdin: bool) -> str:
    # A pipe gives the password on its first line (scripts); a terminal is asked twice, unseen.
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise InvalidAccount("the two passwords differ")
    return first


def _users(args: argparse.Namespace) -> int:
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url, settings.sqlite_synchronous)
    upgrade_to_head(engine)
    try:
        with Session(engine) as session:
            if args.users_command == "list":
                for user in accounts.list_users(session):
                    print(f"{user.username}\t{user.role}\tcreated {user.created_at:%Y-%m-%d}")
                return 0
            password = _read_password(args.password_stdin)
            if args.users_command == "create":
                accounts.create_user(
                    session, args.username, password, args.role, actor=accounts.CLI
                )
                print(f"created the {args.role} account {args.username!r}")
            else:
                accounts.reset_password(session, args.username, password, actor=accounts.CLI)
                print(
                    f"new password set for {args.username!r}; its sessions are signed out and "
                    "its failed sign-ins forgotten"
                )
    except HomelabError as exc:
        print(f"homelab-cmd users: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _add_users_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    users = sub.add_parser("users", help="manage the accounts that sign in to the web UI")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    for name, text in (
        ("create", "add an account (the password is asked for, or read from stdin)"),
        (
            "reset-password",
            "set a new password, sign out the account's sessions and clear its sign-in lockout",
        ),
    ):
        command = users_sub.add_parser(name, help=text)
        command.add_argument("username")
        command.add_argument(
            "--password-stdin", action="store_true", help="read the password from stdin"
        )
        if name == "create":
            command.add_argument(
                "--role",
                choices=[r.value for r in accounts.PERSON_ROLES],
                default="admin",
                help="admin (the default) may do anything; read sees everything, changes nothing",
            )
    users_sub.add_parser("list", help="list the accounts")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="homelab-cmd", description=__doc__)
    parser.add_argument("--version", action="version", version=f"homelab-cmd {__version__}")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="serve the API and web UI (the default)")
    sub.add_parser("openapi", help="print the OpenAPI document")
    sub.add_parser("maintenance", help="roll up history and prune old rows once, then exit")
    upgrade = sub.add_parser(
        "import-homelabcmd",
        help="import the servers and history of a HomelabCmd 1.x database (run twice: no change)",
    )
    upgrade.add_argument("database", help="the 1.x database file, or its sqlite:/// URL")
    _add_users_parser(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic narrates every start ("Context impl SQLiteImpl"); upgrades are logged by the hub.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        get_settings()
    except ValidationError as exc:
        print(_settings_problems(exc), file=sys.stderr)
        return SETTINGS_REFUSED
    if args.command == "openapi":
        return _openapi()
    if args.command == "maintenance":
        return _maintenance()
    if args.command == "import-homelabcmd":
        return _import_homelabcmd(args.database)
    if args.command == "users":
        return _users(args)
    return _serve()
