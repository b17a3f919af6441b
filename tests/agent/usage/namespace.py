"""Real filesystems for usage-scan tests: a script run in a private mount namespace.

`unshare -m` gives the script its own mount table (private propagation), so the tmpfs and loop
mounts it makes vanish with it and the host's mounts are never touched. Needs root, as CI has.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

NEEDS = "needs root and unshare(1) to mount in a private mount namespace"
needs_namespace = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("mount") is None,
    reason=NEEDS,
)

# Helpers every script starts with.
PRELUDE = textwrap.dedent(
    """
    import io, json, os, subprocess, sys
    from homelab_agent.cli import main

    ENV = {"HOMELAB_AGENT_CONFIG": "", "HOMELAB_AGENT_SERVER_ID": "usage-test"}

    def mount_tmpfs(path, size="64m"):
        os.makedirs(path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", path],
                       check=True)

    def write(path, size, byte=b"x"):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(byte * size)

    def usage(*argv, env=ENV):
        out = io.StringIO()
        code = main(["usage", *argv], env=env, out=out)
        return code, out.getvalue()

    def scan_json(*argv):
        code, text = usage(*argv, "--json")
        assert code == 0, text
        return json.loads(text)

    def du(path):
        done = subprocess.run(["du", "-s", "-x", "-B1", path], capture_output=True, text=True)
        return int(done.stdout.split()[0])

    def as_user(uid, work):
        # Root reads every directory: a forked child that became `uid` meets real refusals.
        read, written = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            os.setgid(uid)
            os.setuid(uid)
            with os.fdopen(written, "w") as pipe:
                json.dump(work(), pipe)
            os._exit(0)
        os.close(written)
        with os.fdopen(read) as pipe:
            text = pipe.read()
        os.waitpid(pid, 0)
        return json.loads(text)
    """
)


def run_in_namespace(script: str, *args: str, timeout: float = 900) -> Any:
    """Run PRELUDE + `script` in a private mount namespace; the JSON its last line prints."""
    done = subprocess.run(
        ["unshare", "-m", "--propagation", "private", sys.executable, "-c",
         PRELUDE + textwrap.dedent(script), *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def public_directory(parent: str = "/tmp") -> Iterator[Path]:
    """An empty directory any user can reach (pytest's tmp_path is 0700: `nobody` could not)."""
    path = Path(parent) / f"usage-test-{os.getpid()}-{os.urandom(4).hex()}"
    path.mkdir(mode=0o755)
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
