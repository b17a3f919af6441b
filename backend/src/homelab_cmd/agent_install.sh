#!/bin/sh
# Installs the HomelabCmd agent on this host and enrolls it with the hub that served this file:
#   curl -fsSL HUB/install.sh | sh -s -- --code CODE
# Run as root it needs nothing else; run as another user it asks sudo for the steps that write
# below / (the virtualenv, the config, the unit, systemctl), and stops at once without sudo.
# It makes a virtualenv, installs the agent wheel with the versions the hub was tested with,
# runs `homelab-agent enroll` (which writes the config with this host's own token, mode 0600),
# installs the systemd unit and starts it. Options:
#   --code CODE      the enrollment code from the hub's "Add server" dialog (required)
#   --prefix DIR     where the virtualenv goes (default /opt/homelab-agent)
#   --root DIR       install below DIR instead of / (images, tests); nothing is started
#   --python PATH    the Python 3.11+ to use (default python3)
#   --no-start       install and enroll, but leave the service stopped
#   --drive-health   let the agent read S.M.A.R.T.: adds the systemd drop-in drive-health.conf
#                    (block devices, the disk group, CAP_SYS_RAWIO and CAP_SYS_ADMIN for smartctl)
set -eu

HUB=@HUB_URL@
WHEEL="@WHEEL@"
FINGERPRINT="@FINGERPRINT@"
CODE="" ROOT="" PREFIX="/opt/homelab-agent" PYTHON="python3" START=1 DRIVES=0

die() { echo "install.sh: $*" >&2; exit 1; }
# Writes stdin to the file $1 (as root through $SUDO when that is needed).
put() { $SUDO tee "$1" >/dev/null || die "could not write $1"; }
fetch() { curl -fsSL @CURL_PIN@ -o "$2" "$HUB/install/$1" || die "could not download $1 from $HUB"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --code) CODE="${2:-}"; shift 2 ;;
    --prefix) PREFIX="${2:-}"; shift 2 ;;
    --root) ROOT="${2:-}"; START=0; shift 2 ;;
    --python) PYTHON="${2:-}"; shift 2 ;;
    --no-start) START=0; shift ;;
    --drive-health) DRIVES=1; shift ;;
    *) die "unknown option $1 (see the comment at the top of this script)" ;;
  esac
done
[ -n "$CODE" ] || die "--code CODE is required: make one with 'Add server' in the hub's web UI"
# Root, or a folder of one's own given with --root, needs no sudo; anything else asks sudo, and
# says so before doing anything when there is none (a root-only host without sudo: run as root).
SUDO=""
if [ "$(id -u)" != 0 ] && { [ -z "$ROOT" ] || ! [ -w "$ROOT" ]; }; then
  command -v sudo >/dev/null ||
    die "run this as root (sudo is not installed): curl -fsSL $HUB/install.sh | sh -s -- --code …"
  SUDO="sudo"
  echo "Not root: the steps that install into ${ROOT:-/} run through sudo"
fi
command -v curl >/dev/null || die "curl is required"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.11 or newer"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  die "the agent needs Python 3.11 or newer; $PYTHON is $("$PYTHON" -V 2>&1)"

venv="$ROOT$PREFIX"
config="$ROOT/etc/homelab-agent/config.yaml"
unit="$ROOT/etc/systemd/system/homelab-agent.service"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "Installing the HomelabCmd agent into $venv"
$SUDO "$PYTHON" -m venv "$venv" ||
  die "could not make a virtualenv (on Debian: apt install python3-venv)"
fetch "$WHEEL" "$tmp/$WHEEL"
fetch constraints.txt "$tmp/constraints.txt"
fetch homelab-agent.service "$tmp/homelab-agent.service"
$SUDO "$venv/bin/python" -m pip install -q --disable-pip-version-check \
  -c "$tmp/constraints.txt" "$tmp/$WHEEL" || die "pip could not install the agent"

set -- enroll "$HUB" "$CODE" --config "$config"
[ -z "$FINGERPRINT" ] || set -- "$@" --fingerprint "$FINGERPRINT"
$SUDO "$venv/bin/homelab-agent" "$@" || die "enrollment failed (a code works once, for an hour)"

$SUDO mkdir -p "$(dirname "$unit")"
sed "s|^ExecStart=/usr/local/bin/homelab-agent |ExecStart=$PREFIX/bin/homelab-agent |" \
  "$tmp/homelab-agent.service" | put "$unit"
$SUDO chmod 0644 "$unit"
if [ "$DRIVES" = 1 ]; then
  # The settings of deploy/homelab-agent-drive-health.conf, which says why each is needed (a test
  # keeps the two equal).
  $SUDO mkdir -p "$unit.d"
  put "$unit.d/drive-health.conf" <<'DROPIN'
[Service]
PrivateDevices=no
SupplementaryGroups=disk
AmbientCapabilities=CAP_DAC_READ_SEARCH CAP_SYS_RAWIO CAP_SYS_ADMIN
CapabilityBoundingSet=CAP_DAC_READ_SEARCH CAP_SYS_RAWIO CAP_SYS_ADMIN
DROPIN
  $SUDO chmod 0644 "$unit.d/drive-health.conf"
  command -v smartctl >/dev/null ||
    echo "install.sh: smartctl not found: install smartmontools for drive health" >&2
fi
if [ "$START" = 1 ] && command -v systemctl >/dev/null; then
  $SUDO systemctl daemon-reload
  $SUDO systemctl enable homelab-agent >/dev/null 2>&1
  $SUDO systemctl restart homelab-agent
  echo "The agent is running; this host appears in the hub's web UI with its first heartbeat."
else
  echo "Installed; start it with: systemctl daemon-reload && systemctl enable --now homelab-agent"
fi
