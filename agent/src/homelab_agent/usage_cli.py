"""`homelab-agent usage MOUNT`: where a filesystem's bytes are, and what grew since a scan."""

from __future__ import annotations

import argparse
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import TextIO

from homelab_agent.collectors.filesystems import host_path
from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.mounts import clean_text, read_mount_table
from homelab_agent.filesystems_cli import display
from homelab_agent.usage.diff import (
    Growth,
    ScanFileError,
    growth,
    load_scan,
    sizes,
    where_it_happened,
)
from homelab_agent.usage.model import UsageScan
from homelab_agent.usage.priority import lower_thread_priority
from homelab_agent.usage.runner import budgets_from
from homelab_agent.usage.scan import Budgets, failed, mounts_below, scan

log = logging.getLogger(__name__)
UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `usage` with the command's subparsers."""
    us = sub.add_parser("usage", help="the largest directories of one filesystem, and growth")
    us.add_argument("mount", help="the mount point to scan (one filesystem; others not entered)")
    us.add_argument("--json", action="store_true", help="the scan as JSON (the heartbeat's form)")
    us.add_argument("--since", type=Path, help="an earlier --json output: what grew and shrank")
    us.add_argument("--time-budget", type=float, metavar="S", help="stop after S seconds")
    us.add_argument("--entry-budget", type=int, metavar="N", help="stop after N entries")


def human_bytes(count: int) -> str:
    """1536 → '1.5 KiB'; binary units, as df -h and du -h count."""
    value = float(abs(count))
    unit = 0
    while value >= 1024 and unit < len(UNITS) - 1:
        value /= 1024
        unit += 1
    sign = "-" if count < 0 else ""
    return f"{sign}{int(value)} B" if unit == 0 else f"{sign}{value:.1f} {UNITS[unit]}"


def _header(result: UsageScan, out: TextIO) -> None:
    mount = display(result.mount_point)
    out.write(
        f"{mount}: {human_bytes(result.total_bytes)} allocated in {result.entries:,} entries, "
        f"scanned in {result.duration_seconds:.1f} s\n"
    )
    if result.stopped_by:
        out.write(f"stopped by the {result.stopped_by} budget: a partial result (a lower bound)\n")
    if result.unreadable:
        out.write(f"{result.unreadable:,} directories could not be read (not counted)\n")
    if result.links_over_budget:
        out.write(
            f"{result.links_over_budget:,} hard-linked files past the link budget were counted "
            "at each link: sizes may be too large\n"
        )


def _print_tree(result: UsageScan, out: TextIO) -> None:
    root = result.mount_point
    parents = {d.path.rpartition("/")[0] or "/" for d in result.directories if d.path != root}
    for d in result.directories:
        relative = d.path[len(root) :].strip("/")
        depth = relative.count("/") + 1 if relative else 0
        label = display(d.path) if depth == 0 else display(d.path.rpartition("/")[2])
        indent = "  " * depth
        # "other": its own files and the subdirectories not listed, when some are listed.
        listed = d.path in parents and d.other_bytes > 0
        other = f"  (other {human_bytes(d.other_bytes)})" if listed else ""
        out.write(f"{human_bytes(d.bytes):>10}  {indent}{label}{other}\n")


def _print_growth(changes: Sequence[Growth], since: str, out: TextIO) -> None:
    if not changes:
        out.write(f"\nno directory changed size since {since}\n")
        return
    out.write(f"\nsince {since}:\n")
    for g in changes:
        sign = "+" if g.change > 0 else ""
        out.write(
            f"{sign + human_bytes(g.change):>11}  {display(g.path)}  "
            f"({human_bytes(g.bytes_then)} → {human_bytes(g.bytes_now)})\n"
        )


def _budgets(args: argparse.Namespace, config: AgentConfig) -> Budgets | None:
    """The config's budgets with the flags on top; None when a flag is out of range."""
    budgets = budgets_from(config)
    if args.time_budget is not None:
        if args.time_budget <= 0:
            return None
        budgets = replace(budgets, time_seconds=args.time_budget)
    if args.entry_budget is not None:
        if args.entry_budget < 1:
            return None
        budgets = replace(budgets, entries=args.entry_budget)
    return budgets


def _emit(
    result: UsageScan, changes: list[Growth] | None, since: str, as_json: bool, out: TextIO
) -> None:
    if as_json:
        body = result.to_dict()
        if changes is not None:
            body["growth"] = [g.to_dict() for g in changes]
        json.dump(body, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif result.error is None:
        _header(result, out)
        _print_tree(result, out)
        if changes is not None:
            # Each change once, where it happened (the hub's alert and the UI's What grew name
            # the same directories); --json keeps every change, as the hub's growth list does.
            _print_growth(where_it_happened(changes, result.mount_point), since, out)


def _mounts_below(config: AgentConfig, mount: str) -> list[str] | None:
    """Where the walk stops: the mount points below `mount` in the host's table, as this process
    sees them (below rootfs); None when no table can be read (device numbers decide then)."""
    try:
        table = read_mount_table(config.proc_root, config.mount_table_pid)
    except OSError as exc:
        log.warning("mount table unreadable (%s): nested mounts found by device number", exc)
        return None
    below = mounts_below(mount, [m.mount_point for m in table])
    return [host_path(config.rootfs, m) for m in below]


def _scan_at_idle_priority(
    fs_path: str, mount_point: str, budgets: Budgets, mounts: list[str] | None
) -> UsageScan:
    """Scan on a thread of its own at idle priority, as the agent does; the caller's is kept."""
    done: list[UsageScan] = []

    def work() -> None:
        for problem in lower_thread_priority():
            log.warning("%s", problem)
        done.append(scan(fs_path, mount_point, budgets=budgets, mounts=mounts))

    worker = threading.Thread(target=work, name="usage-scan")
    worker.start()
    worker.join()
    return done[0] if done else failed(mount_point, None, "scan failed (see the log)")


def usage_command(args: argparse.Namespace, config: AgentConfig, out: TextIO) -> int:
    """Scan one filesystem now, at idle priority, and print its tree (or JSON), and growth."""
    try:
        earlier = load_scan(args.since) if args.since is not None else None
    except ScanFileError as exc:
        log.error("%s", exc)
        return 2
    budgets = _budgets(args, config)
    if budgets is None:
        log.error("--time-budget must be greater than 0 and --entry-budget at least 1")
        return 2
    mount = args.mount if args.mount == "/" else args.mount.rstrip("/")
    if not mount.startswith("/"):
        log.error("usage: the mount point must be an absolute path, not %r", display(mount))
        return 2
    # argv holds the path as the kernel would (undecodable bytes as surrogate escapes): the walk
    # uses it as it is, the output names it as `--explain` shows paths.
    result = _scan_at_idle_priority(
        host_path(config.rootfs, mount), clean_text(mount), budgets, _mounts_below(config, mount)
    )
    changes, since = None, ""
    if earlier is not None:
        now = [asdict(d) for d in result.directories]
        changes = growth(sizes(earlier["directories"]), sizes(now))
        started = earlier.get("started_at")
        since = f"{args.since}" + (f" (scanned {started})" if isinstance(started, str) else "")
    _emit(result, changes, since, args.json, out)
    if result.error is not None:
        log.error("%s: %s", display(mount), result.error)
        return 1
    return 0
