"""`homelab-agent`: the loop, `--once`, `--dry-run` and `filesystems`."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from homelab_agent import __version__
from homelab_agent.agent import Agent, build_heartbeat
from homelab_agent.collectors import build_collectors
from homelab_agent.config import AgentConfig, ConfigError, load_config, resolve_config_path
from homelab_agent.filesystems_cli import display, filesystems_command
from homelab_agent.permissions import warn_if_secret_is_exposed
from homelab_agent.spool import SpoolError

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
    return parser


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
        delivered = agent.run_once()
        agent.client.close()
        if not delivered:
            log.error("heartbeat not delivered; it stays in the spool %s", config.spool_dir)
        return 0 if delivered else 1
    stop = threading.Event()
    _install_signal_handlers(stop)
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
    try:
        config = load_config(args.config, env)
    except ConfigError as exc:
        log.error("configuration error: %s", exc)
        return 2
    warn_if_secret_is_exposed(resolve_config_path(args.config, env)[0])
    if args.command == "filesystems":
        return filesystems_command(args, config, out)
    return _run_agent(args, config, out)


if __name__ == "__main__":
    sys.exit(main())
