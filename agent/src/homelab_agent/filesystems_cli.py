"""`homelab-agent filesystems`: what would be reported, the capacity domains, and why."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from homelab_agent.collectors.filesystems import FilesystemsCollector, fstab_path, report_for
from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.domains import domain_by_mount, plan_domains
from homelab_agent.filesystems.expected import (
    ExpectedMount,
    expected_from_fstab,
    failed_mount_units,
    find_missing,
)
from homelab_agent.filesystems.filtering import Decision, FilterRules, decide
from homelab_agent.filesystems.fstab import FstabLine, read_fstab
from homelab_agent.filesystems.mounts import (
    Mount,
    clean_text,
    parse_mount_table,
    read_mount_table,
    read_raw_text,
)


def display(text: str) -> str:
    """A path on one line: control characters and backslashes escaped as the kernel does."""
    out = []
    for ch in clean_text(text):
        out.append(f"\\{ord(ch):03o}" if ch == "\\" or ord(ch) < 32 else ch)
    return "".join(out)


def _explain_rows(decisions: Sequence[Decision]) -> list[dict[str, Any]]:
    return [
        {
            "mount_point": clean_text(d.mount.mount_point),
            "device": clean_text(d.mount.source),
            "fs_type": clean_text(d.mount.fs_type),
            "kept": d.kept,
            "reason": d.reason,
        }
        for d in decisions
    ]


def fstab_reason(line: FstabLine, mounts: Sequence[Mount]) -> str:
    """Why an fstab line is or is not expected, and whether the host has it mounted."""
    prefix = f"fstab line {line.line_number}: "
    if line.entry is None or not line.expected:
        return prefix + "not expected: " + line.reason
    here = [m for m in mounts if m.mount_point == line.entry.mount_point]
    if not here:
        return prefix + "MISSING: expected but not mounted"
    if line.entry.automount and all(m.fs_type == "autofs" for m in here):
        return prefix + "expected, automount not used yet (autofs until first access)"
    return prefix + "expected, mounted"


def _fstab_rows(lines: Sequence[FstabLine], mounts: Sequence[Mount]) -> list[dict[str, Any]]:
    return [
        {
            "mount_point": clean_text(line.entry.mount_point) if line.entry else "",
            "device": clean_text(line.entry.source) if line.entry else clean_text(line.text),
            "fs_type": clean_text(line.entry.fs_type) if line.entry else "",
            "fstab_line": line.line_number,
            "expected": line.expected,
            "reason": fstab_reason(line, mounts),
        }
        for line in lines
    ]


def _print_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], out: TextIO) -> None:
    cells = [[display(str(row.get(c, "") or "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    out.write("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    out.write("\n")
    for r in cells:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() + "\n")


def _emit(rows: list[dict[str, Any]], columns: Sequence[str], as_json: bool, out: TextIO) -> int:
    if as_json:
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        _print_table(rows, columns, out)
    return 0


def _table_rows(
    decisions: Sequence[Decision], missing: Sequence[ExpectedMount]
) -> list[dict[str, Any]]:
    """What a mount table alone tells: the kept mounts with their domains, then the missing."""
    domains = domain_by_mount(plan_domains(decisions))
    rows: list[dict[str, Any]] = [
        {
            "mount_point": clean_text(d.mount.mount_point),
            "device": clean_text(d.mount.source),
            "fs_type": clean_text(d.mount.fs_type),
            "read_only": d.mount.read_only,
            "state": "ok",
            "capacity_domain": domains.get(clean_text(d.mount.mount_point)),
        }
        for d in decisions
        if d.kept
    ]
    rows += [
        {
            "mount_point": clean_text(m.mount_point),
            "device": clean_text(m.source),
            "fs_type": clean_text(m.fs_type),
            "read_only": None,
            "state": "missing",
            "capacity_domain": None,
        }
        for m in missing
    ]
    return rows


def filesystems_command(args: argparse.Namespace, config: AgentConfig, out: TextIO) -> int:
    """`homelab-agent filesystems`: what would be reported, and why the rest is not."""
    rules = FilterRules.from_config(config)
    live = args.mount_table is None
    if live:
        mounts = read_mount_table(config.proc_root, config.mount_table_pid)
    else:
        mounts = parse_mount_table(read_raw_text(args.mount_table))
    decisions = decide(mounts, rules)
    # Someone else's mount table is checked against an fstab only when one is given.
    fstab: Path | None = args.fstab or (fstab_path(config) if live else None)
    lines = read_fstab(fstab, rules) if fstab is not None else []
    expected = expected_from_fstab(lines)
    if live and config.rootfs == Path("/"):
        expected += failed_mount_units()
    missing = find_missing(expected, mounts)
    if args.explain:
        rows = _explain_rows(decisions) + _fstab_rows(lines, mounts)
        return _emit(rows, ("reason", "mount_point", "fs_type", "device"), args.json, out)
    if args.domains and not live:
        plans = plan_domains(decisions)
        rows = [
            {"key": p.key, "kind": p.kind, "members": p.members, "union_of": p.union_of}
            for p in plans
        ]
        return _emit(rows, ("key", "kind", "members", "union_of"), args.json, out)
    columns: Sequence[str]
    if not live:
        columns = ("mount_point", "fs_type", "device", "state", "capacity_domain")
        return _emit(_table_rows(decisions, missing), columns, args.json, out)
    report = report_for(decisions, FilesystemsCollector(config).prober, config.rootfs, missing)
    if args.domains:
        rows = [asdict(d) for d in report.capacity_domains]
        columns = ("key", "kind", "total_bytes", "used_bytes", "available_bytes", "members")
        return _emit(rows, columns, args.json, out)
    rows = [asdict(s) for s in report.filesystems]
    columns = (
        "mount_point", "fs_type", "device", "total_bytes", "used_bytes", "available_bytes",
        "percent", "state", "shadowed_bytes", "capacity_domain",
    )  # fmt: skip
    return _emit(rows, columns, args.json, out)
