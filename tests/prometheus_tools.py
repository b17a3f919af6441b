"""Debian's Prometheus tools for the tests (`make prometheus` installs them)."""

import shutil
import subprocess

import pytest


def tool(name: str) -> str:
    """The path of `promtool` or `prometheus`; fails (not skips) when it is not installed."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run 'make prometheus' (Debian's prometheus package)")
    return path


def promtool(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    """Run promtool; its combined output is in .stdout."""
    return subprocess.run(
        [tool("promtool"), *args],
        input=stdin.decode(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
