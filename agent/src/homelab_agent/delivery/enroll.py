"""`homelab-agent enroll HUB_URL CODE`: trade a code from the hub for this host's own token."""

from __future__ import annotations

import logging
import os
import socket
import ssl
import tempfile
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml

from homelab_agent import __version__
from homelab_agent.config import ConfigError, read_yaml
from homelab_agent.delivery.tls import (
    fingerprint,
    normalise_fingerprint,
    peer_certificate,
    pinned_context,
    publicly_trusted,
    warn_if_plain_http,
)

log = logging.getLogger(__name__)
ENROLL_PATH = "/api/v1/agents/enroll"


class EnrollError(Exception):
    """Enrollment failed; the message says why and what to do."""


def _read(path: Path) -> dict[str, Any]:
    try:
        return read_yaml(path, required=False)
    except ConfigError as exc:
        raise EnrollError(f"cannot use the existing config: {exc}") from exc


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, readable by its owner only from the first byte on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".config-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _trust(
    url: str, expected: str | None, ca_file: str | None, timeout: float
) -> tuple[ssl.SSLContext | bool, bytes | None]:
    """How to verify the hub, and the certificate to pin (None: a CA vouches for it)."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        warn_if_plain_http(url)
        return True, None
    host, port = parts.hostname or "", parts.port or 443
    try:
        if expected is None and publicly_trusted(host, port, timeout, ca_file):
            return ssl.create_default_context(cafile=ca_file or None), None
        der = peer_certificate(host, port, timeout)
    except OSError as exc:
        raise EnrollError(f"cannot reach {url}: {exc}") from exc
    seen = fingerprint(der)
    if expected is not None and seen != expected:
        raise EnrollError(
            f"the hub's certificate is {seen}, not the expected {expected}: "
            "someone may be in between; enrollment stopped, the code is unused"
        )
    if expected is None:
        log.warning(
            "trusting the hub's certificate %s on first use; it must match the fingerprint the "
            "hub logs at start (pass --fingerprint to check it now)",
            seen,
        )
    return pinned_context(der), der


def enroll(
    hub_url: str,
    code: str,
    config_path: Path,
    *,
    expected_fingerprint: str | None = None,
    ca_file: str | None = None,
    hostname: str | None = None,
    timeout: float = 15.0,
) -> dict[str, Any]:
    """Enroll with the hub and write the config; returns the values written."""
    url = hub_url.rstrip("/")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise EnrollError(f"{hub_url!r} is not a hub URL like http://hub:8080")
    expected = normalise_fingerprint(expected_fingerprint) if expected_fingerprint else None
    config = _read(config_path)
    guid = str(config.get("server_guid") or uuid.uuid4())
    verify, pinned = _trust(url, expected, ca_file, timeout)
    body = {"code": code, "hostname": hostname or socket.gethostname(), "server_guid": guid}
    try:
        with httpx.Client(
            verify=verify, timeout=timeout, headers={"User-Agent": f"homelab-agent/{__version__}"}
        ) as client:
            answer = client.post(url + ENROLL_PATH, json=body)
    except httpx.HTTPError as exc:
        raise EnrollError(f"cannot reach {url}: {exc}") from exc
    if answer.status_code != 201:
        try:
            detail = answer.json().get("detail", answer.text)
        except ValueError:
            detail = answer.text[:200]
        raise EnrollError(f"the hub refused the enrollment ({answer.status_code}): {detail}")
    granted = answer.json()
    config.update(
        hub_url=url,
        api_key=granted["token"],
        server_id=granted["server_id"],
        server_guid=guid,
    )
    for key in ("tls_pinned_cert", "tls_fingerprint", "ca_file"):
        config.pop(key, None)
    if pinned is not None:
        config["tls_pinned_cert"] = ssl.DER_cert_to_PEM_cert(pinned)
        config["tls_fingerprint"] = fingerprint(pinned)
    elif ca_file:
        config["ca_file"] = ca_file
    header = "# Written by `homelab-agent enroll`; holds this host's token (keep it mode 0600).\n"
    write_private(config_path, header + yaml.safe_dump(config, sort_keys=False))
    return {**config, "display_name": granted.get("display_name", "")}
