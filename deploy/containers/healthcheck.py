"""The hub image's HEALTHCHECK: the hub's own health route, asked over loopback.

Exit 0 when /api/v1/system/health answers 200, 1 otherwise (Docker's healthy/unhealthy).
"""

import os
import ssl
import sys
import urllib.request

port = os.environ.get("HOMELAB_CMD_PORT", "8080")
host = os.environ.get("HOMELAB_CMD_HOST", "0.0.0.0")  # noqa: S104 - read, not bound
host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
host = f"[{host}]" if ":" in host else host
tls = bool(os.environ.get("HOMELAB_CMD_TLS_CERT")) or os.environ.get("HOMELAB_CMD_TLS") == "self-signed"
# The hub's certificate names the address hosts use, not loopback; this asks the hub itself.
context = ssl._create_unverified_context() if tls else None  # noqa: S323
url = f"{'https' if tls else 'http'}://{host}:{port}/api/v1/system/health"
try:
    with urllib.request.urlopen(url, timeout=4, context=context) as answer:  # noqa: S310
        sys.exit(0 if answer.status == 200 else 1)
except OSError as exc:
    print(f"{url}: {exc}", file=sys.stderr)
    sys.exit(1)
