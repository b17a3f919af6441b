"""How the agent trusts the hub's certificate: the system's CAs, a CA file, or one pinned
certificate (trust on first use, as SSH does with host keys)."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import socket
import ssl
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


def fingerprint(der: bytes) -> str:
    """SHA-256 of a certificate, as `AB:CD:…` (what `openssl x509 -fingerprint -sha256` shows)."""
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def normalise_fingerprint(text: str) -> str:
    """`ab:cd…`, `ABCD…` or `sha256:ABCD…` as `AB:CD:…`; ValueError if it is not 32 hex bytes."""
    hexits = text.strip().removeprefix("sha256:").removeprefix("SHA256:").replace(":", "")
    if len(hexits) != 64 or any(c not in "0123456789abcdefABCDEF" for c in hexits):
        raise ValueError(f"{text!r} is not a SHA-256 fingerprint (64 hex digits)")
    hexits = hexits.upper()
    return ":".join(hexits[i : i + 2] for i in range(0, 64, 2))


def peer_certificate(host: str, port: int, timeout: float) -> bytes:
    """The certificate a TLS server presents, fetched without trusting it (nothing is sent)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((host, port), timeout=timeout) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    if der is None:
        raise ssl.SSLError(f"{host}:{port} presented no certificate")
    return der


def publicly_trusted(host: str, port: int, timeout: float, ca_file: str | None) -> bool:
    """Whether the hub's certificate verifies against a CA (system store or `ca_file`)."""
    context = ssl.create_default_context(cafile=ca_file or None)
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return True
    except ssl.SSLError:
        return False


def pinned_context(der: bytes) -> ssl.SSLContext:
    """A context that accepts exactly this certificate, whatever name it carries.

    The certificate is the only trust anchor (partial chains allowed, so a leaf may be one); the
    handshake fails on any other before a byte of the request, token included, is sent.
    """
    context = ssl.create_default_context(cadata=ssl.DER_cert_to_PEM_cert(der))
    context.check_hostname = False
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    return context


def client_context(pinned_pem: str | None, ca_file: str | None) -> ssl.SSLContext | bool:
    """What httpx's `verify` gets for the configured trust."""
    if pinned_pem:
        context = ssl.create_default_context(cadata=pinned_pem)
        context.check_hostname = False
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        return context
    if ca_file:
        return ssl.create_default_context(cafile=ca_file)
    return True


def is_loopback(url: str) -> bool:
    """Whether the URL's host is this machine (plain http there reveals nothing to the LAN)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def warn_if_plain_http(url: str) -> None:
    """Plain http to another machine: the token and the data cross the network readable."""
    if url.startswith("http://") and not is_loopback(url):
        log.warning(
            "the hub %s is reached over plain http: this host's token and metrics cross the "
            "network unencrypted; serve the hub over https (docs/security.md)",
            url,
        )
