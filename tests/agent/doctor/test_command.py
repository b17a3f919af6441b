"""`homelab-agent doctor` through the real entry point: lines and marks, --json, exit codes,
no config, and the bound on the whole run."""

import io
import json
import logging
import threading
import time
from pathlib import Path

import httpx
import pytest
import yaml

from homelab_agent.cli import main
from homelab_agent.config import DEFAULT_CONFIG_PATH
from homelab_agent.doctor.command import run_groups
from homelab_agent.doctor.findings import Finding, ok, problem, warning
from homelab_agent.doctor.printer import write_text
from tests.hub_process import API_KEY, HUB, running_hub

STATUSES = {"ok", "warning", "problem"}


def _doctor(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["doctor", *argv], env=env or {}, out=out)
    return code, out.getvalue()


@pytest.mark.skipif(DEFAULT_CONFIG_PATH.exists(), reason="this machine has an agent config")
def test_without_any_config_it_says_so_shows_how_to_enroll_and_exits_1() -> None:
    code, text = _doctor(env={"HOMELAB_AGENT_LOG_LEVEL": "ERROR"})  # not a hub setting

    lines = text.splitlines()
    assert code == 1
    assert lines[0] == (
        f"✗ config: no config file at {DEFAULT_CONFIG_PATH} and no HOMELAB_AGENT_HUB_URL or "
        "_API_KEY: this host is not enrolled"
    )
    assert lines[1].startswith("    fix: enroll this host: `homelab-agent enroll HUB_URL CODE`")
    assert "! hub: not checked: no hub configured (no config file)" in lines
    # What it could check without a config, it did.
    checks = [line.split(":")[0][2:] for line in lines if line[:1] in "✓!✗"]
    assert {"mount table", "filesystems", "smartctl", "spool"} <= set(checks)
    assert lines[-1].startswith(f"{len(checks)} checks: ")


def test_json_is_a_list_of_check_status_message_fix(tmp_path: Path) -> None:
    config = tmp_path / "agent.yaml"
    config.write_text(yaml.safe_dump({"hub_url": "http://127.0.0.1:9", "spool_dir": str(tmp_path)}))

    code, text = _doctor("--json", env={"HOMELAB_AGENT_CONFIG": str(config)})

    findings = json.loads(text)
    assert all(set(f) == {"check", "status", "message", "fix"} for f in findings)
    assert all(f["status"] in STATUSES and isinstance(f["fix"], list) for f in findings)
    hub = next(f for f in findings if f["check"] == "hub")
    assert hub["status"] == "problem"  # nothing listens on port 9
    assert code == 1


def test_a_config_the_agent_refuses_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    config = tmp_path / "agent.yaml"
    config.write_text("interval: soon\n")

    code, text = _doctor("--json", env={"HOMELAB_AGENT_CONFIG": str(config)})

    found = {f["check"]: f for f in json.loads(text)}
    assert code == 1
    assert found["config"]["status"] == "problem"
    assert "interval: 'soon' is not valid" in found["config"]["message"]
    assert found["hub"]["message"] == "not checked: the config cannot be used"


@pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed")
def test_an_enrolled_host_checks_out_and_the_exit_code_follows_the_problems(
    tmp_path: Path,
) -> None:
    data = tmp_path / "hub"
    data.mkdir()
    config = tmp_path / "agent.yaml"
    with running_hub(data) as (_, url):
        code = httpx.post(
            f"{url}/api/v1/enrollments", headers={"Authorization": f"Bearer {API_KEY}"}
        ).json()["code"]
        assert main(["enroll", url, code, "--config", str(config)]) == 0
        written = yaml.safe_load(config.read_text())
        config.write_text(yaml.safe_dump({**written, "spool_dir": str(tmp_path / "spool")}))
        status, text = _doctor("--json", env={"HOMELAB_AGENT_CONFIG": str(config)})

    found = {f["check"]: f for f in json.loads(text)}
    for check in ("config", "config permissions", "hub", "certificate", "token", "clock"):
        assert found[check]["status"] == "ok", found[check]
    # On a host (this VM) everything is ok; in a container the mount table is a problem.
    problems = [f for f in found.values() if f["status"] == "problem"]
    assert status == (1 if problems else 0), problems


def test_marks_in_utf8_and_their_ascii_fallback() -> None:
    findings = [
        ok("spool", "empty"),
        warning("hub", "not checked…"),
        problem("config", "missing", "enroll"),
    ]
    utf8 = io.StringIO()
    raw = io.BytesIO()
    ascii_out = io.TextIOWrapper(raw, encoding="ascii")

    write_text(findings, utf8)
    write_text(findings, ascii_out)
    ascii_out.flush()

    assert utf8.getvalue().splitlines() == [
        "✓ spool: empty",
        "! hub: not checked…",
        "✗ config: missing",
        "    fix: enroll",
        "3 checks: 1 problem, 1 warning",
    ]
    assert raw.getvalue().decode("ascii").splitlines()[:3] == [
        "+ spool: empty",
        "! hub: not checked...",
        "x config: missing",
    ]


def test_a_check_that_hangs_costs_the_deadline_and_is_named() -> None:
    # A group blocked for real (as on a read from a dead mount) and one that breaks.
    stuck = threading.Event()

    def hangs() -> list[Finding]:
        stuck.wait(60)
        return []

    def breaks() -> list[Finding]:
        raise RuntimeError("boom")

    try:
        found = run_groups(
            [("drives", hangs), ("spool", breaks), ("config", lambda: [ok("config", "fine")])],
            time.monotonic() + 0.5,
        )
    finally:
        stuck.set()

    assert [(f.check, f.status, f.message) for f in found] == [
        ("drives", "warning", "did not finish in time: something it reads does not answer"),
        ("spool", "warning", "the check failed: RuntimeError: boom"),
        ("config", "ok", "fine"),
    ]


def test_the_agents_own_warnings_stay_out_of_the_report(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "agent.yaml"
    config.write_text(yaml.safe_dump({"api_key": "hlt_" + "a" * 40, "spool_dir": str(tmp_path)}))
    config.chmod(0o644)

    before = logging.getLogger("homelab_agent").level
    with caplog.at_level(logging.WARNING):
        _, text = _doctor("--json", env={"HOMELAB_AGENT_CONFIG": str(config)})

    permissions = next(f for f in json.loads(text) if f["check"] == "config permissions")
    assert permissions["status"] == "warning"
    assert not [r for r in caplog.records if r.name.startswith("homelab_agent")]
    assert logging.getLogger("homelab_agent").level == before
