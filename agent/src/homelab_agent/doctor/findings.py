"""What one doctor check found: a status, a sentence, and how to fix it."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.StrEnum):
    """How bad a finding is: a problem stops the agent seeing or sending something."""

    OK = "ok"
    WARNING = "warning"
    PROBLEM = "problem"


@dataclass(frozen=True, slots=True)
class Finding:
    """One check's outcome in words; `fix` lists what to do, one step a line."""

    check: str
    status: Status
    message: str
    fix: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        """The `--json` form: {check, status, message, fix}."""
        return {
            "check": self.check,
            "status": str(self.status),
            "message": self.message,
            "fix": list(self.fix),
        }


def ok(check: str, message: str) -> Finding:
    """A finding that needs nothing done."""
    return Finding(check, Status.OK, message)


def warning(check: str, message: str, *fix: str) -> Finding:
    """Something the agent copes with, or that limits what it sees."""
    return Finding(check, Status.WARNING, message, fix)


def problem(check: str, message: str, *fix: str) -> Finding:
    """Something that keeps the agent from seeing the host or from reaching the hub."""
    return Finding(check, Status.PROBLEM, message, fix)
