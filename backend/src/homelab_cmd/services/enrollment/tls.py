"""The hub's TLS: configured certificate files, or a self-signed pair made on first start, and
the pins hosts check it by."""

import base64
import hashlib
import ipaddress
import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from homelab_cmd.config import Settings
from homelab_cmd.services.enrollment.agent_bundle import CertificatePins

log = logging.getLogger(__name__)
SELF_SIGNED_DIR = "tls"
VALIDITY = timedelta(days=3650)


@dataclass(frozen=True, slots=True)
class TlsFiles:
    cert: Path
    key: Path


def _names(settings: Settings) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    hostname = socket.gethostname()
    if hostname and hostname != "localhost":
        names.append(x509.DNSName(hostname))
    addresses = {"127.0.0.1", "::1"}
    if settings.host not in ("0.0.0.0", "::", ""):  # noqa: S104
        addresses.add(settings.host)
    for address in sorted(addresses):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(address)))
        except ValueError:
            names.append(x509.DNSName(address))
    return names


def _generate(folder: Path, settings: Settings) -> TlsFiles:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "HomelabCmd hub")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName(_names(settings)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    files = TlsFiles(cert=folder / "cert.pem", key=folder / "key.pem")
    fd = os.open(files.key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    files.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    log.warning("made a self-signed certificate in %s", folder)
    return files


def tls_files(settings: Settings) -> TlsFiles | None:
    """The certificate and key to serve with, made on first start for TLS=self-signed."""
    if settings.tls_cert and settings.tls_key:
        return TlsFiles(cert=settings.tls_cert, key=settings.tls_key)
    if settings.tls == "self-signed":
        folder = settings.data_dir / SELF_SIGNED_DIR
        files = TlsFiles(cert=folder / "cert.pem", key=folder / "key.pem")
        if files.cert.is_file() and files.key.is_file():
            return files
        return _generate(folder, settings)
    return None


def certificate_pins(cert_path: Path) -> CertificatePins:
    """The fingerprint agents pin and the public-key hash curl checks, of the served cert."""
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    der = cert.public_bytes(serialization.Encoding.DER)
    digest = hashlib.sha256(der).digest()
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return CertificatePins(
        fingerprint=":".join(f"{b:02X}" for b in digest),
        curl_pin=base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii"),
    )
