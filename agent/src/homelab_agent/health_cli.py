"""`homelab-agent drives` and `homelab-agent pools`: what the health passes see, or saved files."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from homelab_agent.config import AgentConfig
from homelab_agent.drives.collect import drive_reader, drives_pass, place_all, pool_reader
from homelab_agent.drives.model import DriveSample
from homelab_agent.drives.reader import Device, DriveResult
from homelab_agent.drives.smart import parse_reading
from homelab_agent.pools import md, zfs
from homelab_agent.pools.model import PoolSample


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `drives` and `pools` subcommands."""
    dr = sub.add_parser("drives", help="show the drives' S.M.A.R.T. health and what is on them")
    dr.add_argument("--json", action="store_true", help="JSON array (the heartbeat's drives)")
    dr.add_argument(
        "--smartctl-json",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="parse saved `smartctl --json` outputs instead of running smartctl",
    )
    po = sub.add_parser("pools", help="show ZFS pools, md arrays and btrfs device errors")
    po.add_argument("--json", action="store_true", help="JSON array (the heartbeat's pools)")
    po.add_argument(
        "--zpool-status",
        type=Path,
        metavar="FILE",
        help="parse this `zpool status -j` or `zpool status -p` output",
    )
    po.add_argument("--mdstat", type=Path, metavar="FILE", help="parse this /proc/mdstat copy")


def saved_drives(config: AgentConfig, files: list[Path]) -> list[DriveSample]:
    """Drives from saved smartctl JSON files (placed on this host only if it has the device)."""
    results = []
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        reading = parse_reading(doc)
        device = Device(reading.name or str(path), reading.device_type)
        results.append(DriveResult(device, "ok", "", reading, None, None, None))
    return place_all(config, results, [])


def _drive_row(d: DriveSample) -> dict[str, Any]:
    attrs = {f"ata_{a.id}": a.count for a in d.ata_attributes or []}
    return {
        "name": d.name,
        "state": d.state,
        "kind": d.kind,
        "model": d.model or "",
        "smart": {True: "PASSED", False: "FAILED", None: "-"}[d.smart_passed],
        "temp_c": d.temperature_celsius,
        "hours": (d.power_on_seconds or 0) // 3600 or "",
        "attributes": " ".join(f"{k}={v}" for k, v in attrs.items() if v)
        or (
            f"nvme media_errors={d.nvme.media_errors} used={d.nvme.used_percent}%" if d.nvme else ""
        ),
        "filesystems": " ".join(d.filesystems),
        "message": d.message or "",
    }


def _table(rows: list[dict[str, Any]], out: TextIO) -> None:
    if not rows:
        return
    columns = list(rows[0])
    cells = [[str(r[c]) if r[c] is not None else "-" for c in columns] for r in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    out.write(
        "  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n"
    )
    for r in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")


def drives_command(args: argparse.Namespace, config: AgentConfig, out: TextIO) -> int:
    """`homelab-agent drives`: read now (or parse files) and print."""
    problems: list[str] = []
    if args.smartctl_json:
        drives = saved_drives(config, args.smartctl_json)
    else:
        report = drives_pass(config, drive_reader(config), pool_reader(config))
        drives, problems = report.drives or [], report.problems
    _print(
        args,
        [asdict(d) for d in drives],
        [_drive_row(d) for d in drives],
        problems,
        out,
        empty="no drive found",
    )
    return 0


def _print(
    args: argparse.Namespace,
    items: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    problems: list[str],
    out: TextIO,
    *,
    empty: str,
) -> None:
    """What `drives` and `pools` print: JSON with --json, else a table and the problems met."""
    if args.json:
        json.dump(items, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return
    _table(rows, out)
    if not rows:
        out.write(f"{empty}\n")
    for problem in problems:
        out.write(f"note: {problem}\n")


def _pool_row(p: PoolSample) -> dict[str, Any]:
    scan = p.scan
    return {
        "kind": p.kind,
        "name": p.name,
        "state": p.state,
        "degraded": {True: "yes", False: "no", None: "-"}[p.degraded],
        "scan": f"{scan.function} {scan.state} {scan.ended_at or scan.started_at or ''}".strip()
        if scan
        else (f"{p.sync_action} {p.sync_progress_percent or ''}".strip() if p.sync_action else ""),
        "devices": " ".join(d.name for d in p.devices),
    }


def saved_pools(args: argparse.Namespace, config: AgentConfig) -> list[PoolSample]:
    """Pools from the files given; md arrays are refined from this host's sysfs when it has them."""
    pools: list[PoolSample] = []
    if args.zpool_status:
        text = args.zpool_status.read_text(encoding="utf-8")
        pools += (
            zfs.parse_zpool_json(json.loads(text))
            if text.lstrip().startswith("{")
            else zfs.parse_zpool_status_text(text)
        )
    if args.mdstat:
        pools += md.parse_mdstat(args.mdstat.read_text(encoding="utf-8"))
    return pools


def pools_command(args: argparse.Namespace, config: AgentConfig, out: TextIO) -> int:
    """`homelab-agent pools`: read now (or parse files) and print."""
    problems: list[str] = []
    if args.zpool_status or args.mdstat:
        pools = saved_pools(args, config)
    else:
        found = pool_reader(config).read()
        pools, problems = found.pools, found.problems
    _print(
        args,
        [asdict(p) for p in pools],
        [_pool_row(p) for p in pools],
        problems,
        out,
        empty="no ZFS pool, md array or btrfs filesystem found",
    )
    return 0
