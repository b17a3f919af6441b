"""Agent settings: a YAML file, then `HOMELAB_AGENT_*` environment variables on top."""

from __future__ import annotations

import difflib
import logging
import re
import socket
import ssl
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

import yaml

from homelab_agent.delivery.tls import fingerprint, normalise_fingerprint

log = logging.getLogger(__name__)

DEFAULT_CONFIG_PATH = Path("/etc/homelab-agent/config.yaml")
ENV_PREFIX = "HOMELAB_AGENT_"
SERVER_ID_PATTERN = re.compile(r"^[a-z0-9-]+$")
SERVER_ID_MAX = 100

# Virtual and pseudo filesystem types: kernel plumbing, RAM disks, container layers, desktop
# helper FUSE daemons and host shares of a VM (fuse.osxfs is the Mac's disk seen from Docker
# Desktop). Real types (ext4, xfs, btrfs, zfs, vfat, nfs, cifs, fuse.mergerfs, …) are absent.
DEFAULT_EXCLUDE_FS_TYPES: tuple[str, ...] = (
    "tmpfs", "devtmpfs", "squashfs", "overlay", "aufs", "proc", "sysfs", "cgroup", "cgroup2",
    "devpts", "mqueue", "debugfs", "tracefs", "securityfs", "pstore", "bpf", "autofs",
    "fusectl", "configfs", "hugetlbfs", "binfmt_misc", "nsfs", "efivarfs", "rpc_pipefs",
    "ramfs", "selinuxfs", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.gvfs-fuse-daemon",
    "fuse.portal", "fuse.vmware-vmblock", "fuse.osxfs", "fuse.snapfuse", "nfsd", "usbfs",
    "rootfs", "devfs", "fuse.xdg-document-portal", "fuse.kio-fuse", "lxcfs", "fuse.fuse-overlayfs",
)  # fmt: skip

# Pseudo and plumbing mount points. An entry matches itself and everything below it on a path
# boundary (/dev is not /devdata); an entry ending in "/" matches only what is below it, so
# /var/lib/docker as its own filesystem is kept while container layers under it are not.
DEFAULT_PSEUDO_MOUNT_PREFIXES: tuple[str, ...] = (
    "/sys", "/proc", "/dev", "/run", "/snap", "/var/lib/docker/", "/var/lib/containers/",
    "/var/lib/containerd/", "/var/lib/kubelet/pods/", "/var/lib/kubelet/plugins/",
)  # fmt: skip


# Where a container sees the host's root when it is mounted the documented way
# (`-v /:/hostfs:ro,rslave`, deploy/compose.yaml); `host_root: auto` looks there.
HOSTFS = Path("/hostfs")
HOST_ROOT_AUTO = "auto"
HOST_ROOT_OFF = "off"


class ConfigError(ValueError):
    """The configuration is unusable; the message says which key and why."""


def slugify_hostname(hostname: str) -> str:
    """Server id from a hostname: lower case, runs of other characters become one `-`."""
    slug = re.sub(r"[^a-z0-9]+", "-", hostname.lower()).strip("-")[:SERVER_ID_MAX].strip("-")
    return slug or "host"


@dataclass(frozen=True)
class AgentConfig:
    """Every agent setting, with its default."""

    hub_url: str = "http://127.0.0.1:8080"
    api_key: str = ""
    server_id: str = ""
    # This host's lasting identity at the hub, kept across re-enrollments (`homelab-agent enroll`).
    server_guid: str = ""
    # Trust for an https hub: the certificate pinned at enrollment (PEM, and its SHA-256 as
    # AB:CD:…), or a CA file; neither means the system's CAs.
    tls_pinned_cert: str = ""
    tls_fingerprint: str = ""
    ca_file: str = ""
    hostname: str = ""
    interval: float = 60.0
    spool_dir: Path = Path("/var/lib/homelab-agent/spool")
    spool_max_files: int = 20_000
    spool_max_bytes: int = 200 * 1024 * 1024
    statvfs_timeout: float = 5.0
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    retries: int = 2
    proc_root: Path = Path("/proc")
    sys_root: Path = Path("/sys")
    rootfs: Path = Path("/")
    # The host's root seen from a container: a path, "auto" (/hostfs when the host's mount table
    # is readable there) or "off". A root places proc_root, sys_root and rootfs below it unless
    # they are set, and the mount table read is the host init's (proc/1/mountinfo), as a
    # container's own /proc/self/mountinfo is its own namespace even with the host's /proc
    # mounted. load_config resolves "auto" to a path or "off".
    host_root: str = HOST_ROOT_AUTO
    exclude_fs_types: tuple[str, ...] = DEFAULT_EXCLUDE_FS_TYPES
    include_fs_types: tuple[str, ...] = ()
    pseudo_mount_prefixes: tuple[str, ...] = DEFAULT_PSEUDO_MOUNT_PREFIXES
    exclude_mount_patterns: tuple[str, ...] = ()
    include_mount_patterns: tuple[str, ...] = ()
    disabled_collectors: tuple[str, ...] = ()
    # The fstab whose mounts are expected: "" for <rootfs>/etc/fstab, "off" to check none.
    fstab: str = ""
    log_level: str = "INFO"
    # Drive and pool health (docs/agent.md, ADR 0004): the tools, extra devices as
    # "PATH" or "PATH TYPE" ("/dev/sda megaraid,0"), and how often each pass runs.
    smartctl: str = "smartctl"
    drive_devices: tuple[str, ...] = ()
    drives_interval: float = 3600.0
    drives_timeout: float = 30.0
    zpool: str = "zpool"
    btrfs: str = "btrfs"
    pools_interval: float = 60.0
    # Usage scans the hub asks for (docs/agent.md, ADR 0005): each scan's budgets, and the
    # network mounts (globs or path prefixes) that may be scanned; none by default.
    usage_scan_time_budget: float = 300.0
    usage_scan_entry_budget: int = 5_000_000
    usage_scan_network_mounts: tuple[str, ...] = ()

    @property
    def mount_table_pid(self) -> str:
        """Whose mount table is the host's: init's when the host is seen at host_root, else ours."""
        return "self" if self.host_root in (HOST_ROOT_AUTO, HOST_ROOT_OFF, "") else "1"


# How a YAML value or an environment string becomes a field's value, by the field's type.
Converter = Callable[[Any], Any]
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def _to_str(value: Any) -> str:
    return "" if value is None else str(value)


def _to_path(value: Any) -> Path:
    return Path(str(value))


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError("expected true or false")


def _to_strings(value: Any) -> tuple[str, ...]:
    """A YAML list, or an environment string with comma-separated items."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return tuple(str(i).strip() for i in items if str(i).strip())


_SCALARS: dict[object, Converter] = {
    str: _to_str,
    int: int,
    float: float,
    bool: _to_bool,
    Path: _to_path,
}


def converter_for(hint: object) -> Converter:
    """The conversion for a field annotated `hint`; TypeError for a type the config cannot read."""
    if hint in _SCALARS:
        return _SCALARS[hint]
    if get_origin(hint) is tuple and get_args(hint) == (str, ...):
        return _to_strings
    raise TypeError(f"no conversion for a config field of type {hint!r}")


def converters(cls: type) -> dict[str, Converter]:
    """Each field of the dataclass `cls` with the conversion its type calls for."""
    hints = get_type_hints(cls)
    return {f.name: converter_for(hints[f.name]) for f in fields(cls)}


CONVERTERS = converters(AgentConfig)
KEYS = tuple(CONVERTERS)
CONFIG_PATH_VARIABLE = ENV_PREFIX + "CONFIG"
ENV_VARIABLES = {ENV_PREFIX + key.upper(): key for key in KEYS}


def _coerce(key: str, value: Any) -> Any:
    try:
        return CONVERTERS[key](value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key}: {value!r} is not valid ({exc})") from exc


def _did_you_mean(name: str, known: Iterable[str], prefix: str = "") -> str:
    """` (did you mean X?)` for the known name closest to `name`, or "" when none is close."""
    by_case = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(name.casefold(), list(by_case), n=1)
    return f" (did you mean {prefix}{by_case[close[0]]}?)" if close else ""


def _warn_unknown_keys(data: Mapping[Any, Any], path: Path) -> None:
    for key in data:
        if key not in CONVERTERS:
            log.warning(
                "config file %s: unknown key %s ignored%s",
                path, key, _did_you_mean(str(key), KEYS),
            )  # fmt: skip


def _warn_unknown_variables(env: Mapping[str, str]) -> None:
    known = {*ENV_VARIABLES, CONFIG_PATH_VARIABLE}
    # Every name shares the prefix: suggestions compare what follows it.
    suffixes = [name.removeprefix(ENV_PREFIX) for name in sorted(known)]
    for name in env:
        if name.startswith(ENV_PREFIX) and name not in known:
            suffix = name.removeprefix(ENV_PREFIX)
            log.warning(
                "environment variable %s is not a setting, ignored%s",
                name, _did_you_mean(suffix, suffixes, ENV_PREFIX),
            )  # fmt: skip


def resolve_config_path(cli_path: Path | None, env: Mapping[str, str]) -> tuple[Path, bool]:
    """The file to read and whether it must exist (it must when the user named it)."""
    if cli_path is not None:
        return cli_path, True
    if env.get(CONFIG_PATH_VARIABLE):
        return Path(env[CONFIG_PATH_VARIABLE]), True
    return DEFAULT_CONFIG_PATH, False


def read_yaml(path: Path, required: bool) -> dict[str, Any]:
    """The mapping a YAML config file holds ({} when absent and not required)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if required:
            raise ConfigError(f"config file {path} does not exist") from None
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is unreadable: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping of keys")
    return data


def _validate_tls(config: AgentConfig) -> None:
    if not config.tls_pinned_cert:
        return
    try:
        der = ssl.PEM_cert_to_DER_cert(config.tls_pinned_cert.strip() + "\n")
    except ValueError as exc:
        raise ConfigError(f"tls_pinned_cert is not a PEM certificate ({exc})") from exc
    if config.tls_fingerprint and normalise_fingerprint(config.tls_fingerprint) != fingerprint(der):
        raise ConfigError("tls_fingerprint is not the fingerprint of tls_pinned_cert")


def _validate(config: AgentConfig) -> None:
    _validate_tls(config)
    if not SERVER_ID_PATTERN.match(config.server_id) or len(config.server_id) > SERVER_ID_MAX:
        raise ConfigError(f"server_id {config.server_id!r} must match ^[a-z0-9-]+$ (≤100 chars)")
    for key in (
        "interval", "statvfs_timeout", "connect_timeout", "read_timeout", "drives_interval",
        "drives_timeout", "pools_interval", "usage_scan_time_budget",
    ):  # fmt: skip
        if getattr(config, key) <= 0:
            raise ConfigError(f"{key} must be greater than 0")
    if config.spool_max_files < 1 or config.spool_max_bytes < 1 or config.retries < 0:
        raise ConfigError("spool_max_files and spool_max_bytes must be ≥ 1, retries ≥ 0")
    if config.usage_scan_entry_budget < 1:
        raise ConfigError("usage_scan_entry_budget must be ≥ 1")


def detect_host_root(candidate: Path = HOSTFS) -> Path | None:
    """`candidate` when the host's root is mounted there: its init's mount table is readable."""
    try:
        with (candidate / "proc" / "1" / "mountinfo").open("rb") as handle:
            handle.read(1)
    except OSError:
        return None
    return candidate


def resolve_host_root(
    config: AgentConfig,
    explicit: Iterable[str] = (),
    detect: Callable[[], Path | None] = detect_host_root,
) -> AgentConfig:
    """`host_root` as a path or "off", and the roots below it that were not set (`explicit`)."""
    value = config.host_root.strip()
    if value == HOST_ROOT_AUTO:
        root = detect()
    elif value in (HOST_ROOT_OFF, ""):
        root = None
    elif not value.startswith("/"):
        raise ConfigError(f"host_root: {value!r} must be an absolute path, auto or off")
    else:
        root = Path(value)
    if root is None:
        return replace(config, host_root=HOST_ROOT_OFF)
    given = set(explicit)
    return replace(
        config,
        host_root=str(root),
        proc_root=config.proc_root if "proc_root" in given else root / "proc",
        sys_root=config.sys_root if "sys_root" in given else root / "sys",
        rootfs=config.rootfs if "rootfs" in given else root,
    )


def load_config(
    path: Path | None = None,
    env: Mapping[str, str] | None = None,
    hostname: str | None = None,
) -> AgentConfig:
    """Build the config: defaults, then the YAML file, then `HOMELAB_AGENT_*` variables."""
    env = {} if env is None else env
    file_path, required = resolve_config_path(path, env)
    data = read_yaml(file_path, required)
    _warn_unknown_keys(data, file_path)
    _warn_unknown_variables(env)
    values = {key: _coerce(key, value) for key, value in data.items() if key in CONVERTERS}
    for name, key in ENV_VARIABLES.items():
        if name in env:
            values[key] = _coerce(key, env[name])
    config = resolve_host_root(replace(AgentConfig(), **values), explicit=values)
    host = config.hostname or hostname or socket.gethostname()
    config = replace(config, hostname=host, server_id=config.server_id or slugify_hostname(host))
    _validate(config)
    return config
