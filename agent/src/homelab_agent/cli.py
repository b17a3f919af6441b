"""`homelab-agent`: the loop, `--once`, `--dry-run` and `filesystems`."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from homelab_agent import __version__
from homelab_agent.agent import Agent, build_heartbeat
from homelab_agent.collectors import build_collectors
from homelab_agent.config import AgentConfig, ConfigError, load_config, resolve_config_path
from homelab_agent.delivery.enroll import EnrollError, enroll
from homelab_agent.delivery.spool import SpoolError
from homelab_agent.delivery.tls import warn_if_plain_http
from homelab_agent.doctor import add_parser as add_doctor_parser
from homelab_agent.doctor import doctor_command
from homelab_agent.filesystems_cli import display, filesystems_command
from homelab_agent.health_cli import add_parsers as add_health_parsers
from homelab_agent.health_cli import drives_command, pools_command
from homelab_agent.once import send_once
from homelab_agent.permissions import warn_if_secret_is_exposed
from homelab_agent.usage_cli import add_parser as add_usage_parser
from homelab_agent.usage_cli import usage_command

log = logging.getLogger("homelab_agent")

__all__ = ["display", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="homelab-agent", description="Report this host's metrics and real disks to the hub."
    )
    parser.add_argument("--version", action="version", version=f"homelab-agent {__version__}")
    parser.add_argument("--config", type=Path, help="YAML config (default /etc/homelab-agent/…)")
    parser.add_argument("--once", action="store_true", help="send one heartbeat and exit")
    parser.add_argument("--dry-run", action="store_true", help="print heartbeats, send nothing")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING, ERROR")
    sub = parser.add_subparsers(dest="command")
    fs = sub.add_parser("filesystems", help="show the filesystems this host would report")
    fs.add_argument("--json", action="store_true", help="JSON array instead of a table")
    fs.add_argument("--explain", action="store_true", help="every mount with KEPT or why not")
    fs.add_argument(
        "--mount-table", type=Path, help="read this mountinfo or mounts file (no statvfs)"
    )
    fs.add_argument("--fstab", type=Path, help="check the mounts this fstab expects")
    fs.add_argument("--domains", action="store_true", help="list the capacity domains instead")
    add_health_parsers(sub)
    add_doctor_parser(sub)
    add_usage_parser(sub)
    en = sub.add_parser("enroll", help="trade an enrollment code for this host's own token")
    en.add_argument("hub_url", help="the hub, e.g. https://hub.lan:8080")
    en.add_argument("code", help="the code from the hub's 'Add server' dialog")
    en.add_argument(
        "--config", dest="enroll_config", type=Path, help="config to write (default /etc/…)"
    )
    en.add_argument("--fingerprint", help="the hub certificate's SHA-256 to insist on")
    en.add_argument("--ca-file", help="trust the hub through this CA instead of pinning")
    en.add_argument("--hostname", help="the name to enroll under (default: this host's)")
    return parser


def _enroll(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    path = args.enroll_config or resolve_config_path(args.config, env)[0]
    try:
        written = enroll(
            args.hub_url,
            args.code,
            path,
            expected_fingerprint=args.fingerprint,
            ca_file=args.ca_file,
            hostname=args.hostname,
        )
    except (EnrollError, ValueError) as exc:
        log.error("%s", exc)
        return 1
    out.write(
        f"Enrolled as {written['server_id']} ({written['display_name']}); "
        f"config with this host's token written to {path}\n"
    )
    if written.get("tls_fingerprint"):
        out.write(f"Pinned the hub's certificate {written['tls_fingerprint']}\n")
    return 0


def _run_agent(args: argparse.Namespace, config: AgentConfig, out: TextIO) -> int:
    if args.dry_run:
        collectors = build_collectors(config)
        stop = threading.Event()
        if not args.once:
            _install_signal_handlers(stop)
        while True:
            out.write(build_heartbeat(config, collectors).to_json(indent=2) + "\n")
            out.flush()
            if args.once or stop.wait(config.interval):
                return 0
    if not config.api_key:
        log.error("no API key: set api_key in the config or HOMELAB_AGENT_API_KEY")
        return 2
    try:
        agent = Agent(config)
    except SpoolError as exc:
        log.error("%s", exc)
        return 2
    if args.once:
        return send_once(agent, out)
    stop = threading.Event()
    _install_signal_handlers(stop)
    warn_if_plain_http(config.hub_url)
    log.info(
        "reporting %s as %s to %s every %.0f s", config.hostname, config.server_id,
        config.hub_url, config.interval,
    )  # fmt: skip
    agent.run_forever(stop)
    return 0


def _install_signal_handlers(stop: threading.Event) -> None:
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())


# The subcommands that read the config and print what they find.
COMMANDS: dict[str, Callable[[argparse.Namespace, AgentConfig, TextIO], int]] = {
    "filesystems": filesystems_command,
    "drives": drives_command,
    "pools": pools_command,
    "usage": usage_command,
}


def main(
    argv: Sequence[str] | None = None,
    env: Mapping[str, str] | None = None,
    out: TextIO | None = None,
) -> int:
    """Entry point of the `homelab-agent` command."""
    args = _parser().parse_args(argv)
    env = os.environ if env is None else env
    out = out or sys.stdout
    logging.basicConfig(
        level=(args.log_level or env.get("HOMELAB_AGENT_LOG_LEVEL") or "INFO").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # httpx logs every request at INFO: one line a minute per host is noise, not news.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command == "enroll":
        return _enroll(args, env, out)
    if args.command == "doctor":  # reads the config itself: a broken one is a finding
        return doctor_command(args, env, out)
    try:
        config = load_config(args.config, env)
    except ConfigError as exc:
        log.error("configuration error: %s", exc)
        return 2
    warn_if_secret_is_exposed(resolve_config_path(args.config, env)[0])
    command = COMMANDS.get(args.command)
    if command is not None:
        return command(args, config, out)
    return _run_agent(args, config, out)


if __name__ == "__main__":
    sys.exit(main())
