"""`homelab-agent doctor`: every check run at once, the whole run bounded in time."""

from __future__ import annotations

import argparse
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from homelab_agent.config import AgentConfig, ConfigError, load_config
from homelab_agent.config import resolve_config_path as config_path
from homelab_agent.doctor import drives, filesystems, hub, local, mount_table
from homelab_agent.doctor.findings import Finding, Status, warning
from homelab_agent.doctor.printer import write_json, write_text
from homelab_agent.drives.reader import DriveReader
from homelab_agent.filesystems.filtering import FilterRules, decide
from homelab_agent.filesystems.helper_client import HelperStatvfs
from homelab_agent.filesystems.mounts import Mount, read_mount_table

DEFAULT_TIMEOUT = 30.0
# Each group stops this long before the run's end, so it can say what it did not finish.
GROUP_MARGIN = 1.0
SMARTCTL_TIMEOUT = 10.0

Group = Callable[[], list[Finding]]


@dataclass(frozen=True, slots=True)
class Setup:
    """What the checks start from: the config (None when unusable) and why not."""

    path: Path
    config: AgentConfig | None
    error: str | None
    env: Mapping[str, str]

    @property
    def configured(self) -> bool:
        """Whether a file or HOMELAB_AGENT_* variables say which hub to use."""
        return self.path.exists() or local.hub_in_environment(self.env)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `doctor` subcommand."""
    doc = sub.add_parser("doctor", help="what the agent can and cannot see, why, and the fixes")
    doc.add_argument("--json", action="store_true", help="a JSON list of findings")
    doc.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds the whole run may take (default {DEFAULT_TIMEOUT:g})",
    )


def load(cli_path: Path | None, env: Mapping[str, str]) -> Setup:
    """The agent's config as the agent would load it; a refusal is a finding, not an exit."""
    path = config_path(cli_path, env)[0]
    try:
        return Setup(path, load_config(cli_path, env), None, env)
    except ConfigError as exc:
        return Setup(path, None, str(exc), env)


def local_group(setup: Setup) -> list[Finding]:
    """The config file and its permissions."""
    return [
        local.check_config(setup.path, setup.config, setup.error, setup.env),
        local.check_permissions(setup.path),
    ]


def mounts_group(config: AgentConfig, deadline: float) -> list[Finding]:
    """Whose mount table, what is kept, and what cannot be measured."""
    # The table the agent reads: its own, or the host init's when it sees the host at host_root.
    source = config.proc_root / config.mount_table_pid / "mountinfo"
    mounts: list[Mount] | None
    try:
        mounts, error = read_mount_table(config.proc_root, config.mount_table_pid), None
    except OSError as exc:
        mounts, error = None, exc.strerror or str(exc)
    around = mount_table.process_signs()
    found = [mount_table.check_mount_table(config, source, mounts, error, around)]
    if mounts is None:
        return found
    decisions = decide(mounts, FilterRules.from_config(config))
    found.append(filesystems.check_kept(decisions))
    helper = HelperStatvfs()
    timeout = min(config.statvfs_timeout, max(deadline - time.monotonic(), 0.5))
    try:
        prober = filesystems.doctor_prober(config, helper, timeout)
        probed = filesystems.probe_kept(decisions, prober, config.rootfs)
    except OSError as exc:  # the helper process could not start
        return [*found, filesystems.helper_failed(exc)]
    finally:
        helper.abandon()  # it may be stuck on a dead mount: never waited for
    return [
        *found,
        filesystems.check_unreadable(probed),
        filesystems.check_hung(probed, timeout),
    ]


def drives_group(config: AgentConfig, deadline: float) -> list[Finding]:
    """smartctl present, its version, and whether it may open the drives."""
    reader = DriveReader(
        smartctl=config.smartctl,
        extra_devices=config.drive_devices,
        timeout=min(config.drives_timeout, SMARTCTL_TIMEOUT),
        sys_root=config.sys_root,
    )
    return drives.drive_findings(config, reader, deadline)


def hub_group(setup: Setup, deadline: float) -> list[Finding]:
    """The hub checks, or why they were not run."""
    if setup.config is None:
        return [warning(hub.HUB_CHECK, "not checked: the config cannot be used")]
    if not setup.configured:
        return [warning(hub.HUB_CHECK, "not checked: no hub configured (no config file)")]
    return hub.hub_findings(setup.config, deadline)


def groups(setup: Setup, deadline: float) -> list[tuple[str, Group]]:
    """Every group of checks, in the order their findings are shown."""
    config = setup.config or AgentConfig()
    inner = deadline - GROUP_MARGIN
    return [
        ("config", lambda: local_group(setup)),
        ("mount table and filesystems", lambda: mounts_group(config, inner)),
        ("drives", lambda: drives_group(config, inner)),
        ("hub", lambda: hub_group(setup, inner)),
        ("spool", lambda: [local.check_spool(config)]),
    ]


def run_groups(named: list[tuple[str, Group]], deadline: float) -> list[Finding]:
    """Run the groups side by side; one not done by the deadline becomes a warning."""
    results: dict[str, list[Finding]] = {}

    def run(name: str, group: Group) -> None:
        try:
            results[name] = group()
        except Exception as exc:  # noqa: BLE001 - one broken check never hides the others
            results[name] = [warning(name, f"the check failed: {type(exc).__name__}: {exc}")]

    threads = [
        threading.Thread(target=run, args=item, name=f"doctor {item[0]}", daemon=True)
        for item in named
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0))
    findings: list[Finding] = []
    for name, _ in named:
        findings += results.get(name) or [
            warning(name, "did not finish in time: something it reads does not answer")
        ]
    return findings


@contextmanager
def quiet_agent_logs(explicit: bool) -> Iterator[None]:
    """The findings say what the agent's warnings would; without --log-level they are hidden."""
    logger = logging.getLogger("homelab_agent")
    before = logger.level
    if not explicit:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(before)


def doctor_command(args: argparse.Namespace, env: Mapping[str, str], out: TextIO) -> int:
    """`homelab-agent doctor [--json]`: 0 when no check found a problem, 1 otherwise."""
    explicit = bool(args.log_level or env.get("HOMELAB_AGENT_LOG_LEVEL"))
    with quiet_agent_logs(explicit):
        setup = load(args.config, env)
        deadline = time.monotonic() + max(args.timeout, 2 * GROUP_MARGIN)
        findings = run_groups(groups(setup, deadline), deadline)
    (write_json if args.json else write_text)(findings, out)
    return 1 if any(f.status is Status.PROBLEM for f in findings) else 0
