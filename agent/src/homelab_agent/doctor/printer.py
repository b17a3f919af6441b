"""Findings as lines for a person (a mark, the sentence, indented fixes) or as JSON."""

from __future__ import annotations

import codecs
import json
from collections.abc import Sequence
from typing import TextIO

from homelab_agent.doctor.findings import Finding, Status

MARKS = {Status.OK: "✓", Status.WARNING: "!", Status.PROBLEM: "✗"}
# For a terminal or pipe that is not UTF-8 (LANG=C, a serial console).
ASCII_MARKS = {Status.OK: "+", Status.WARNING: "!", Status.PROBLEM: "x"}


def speaks_utf8(out: TextIO) -> bool:
    """Whether `out` takes UTF-8 (a stream without an encoding, e.g. StringIO, does)."""
    encoding = getattr(out, "encoding", None)
    if not encoding:
        return True
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _plain(text: str, encoding: str) -> str:
    """Text the stream's encoding can carry: `…` as `...`, other characters escaped."""
    text = text.replace("…", "...")
    return text.encode(encoding, "backslashreplace").decode(encoding)


def summary(findings: Sequence[Finding]) -> str:
    """`12 checks: 1 problem, 2 warnings`."""
    problems = sum(f.status is Status.PROBLEM for f in findings)
    warnings = sum(f.status is Status.WARNING for f in findings)
    return (
        f"{len(findings)} checks: {problems} problem{'s' if problems != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def write_text(findings: Sequence[Finding], out: TextIO) -> None:
    """One line per check with its mark, then its fixes indented."""
    utf8 = speaks_utf8(out)
    marks = MARKS if utf8 else ASCII_MARKS
    lines = []
    for finding in findings:
        lines.append(f"{marks[finding.status]} {finding.check}: {finding.message}")
        lines += [f"    fix: {step}" for step in finding.fix]
    lines.append(summary(findings))
    text = "\n".join(lines) + "\n"
    out.write(text if utf8 else _plain(text, getattr(out, "encoding", None) or "ascii"))


def write_json(findings: Sequence[Finding], out: TextIO) -> None:
    """A JSON list of {check, status, message, fix}."""
    json.dump([f.as_json() for f in findings], out, indent=2, ensure_ascii=not speaks_utf8(out))
    out.write("\n")
