#!/usr/bin/env bash
# `make run`: the hub on SQLite in ./data plus an agent reporting this machine. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

export HOMELAB_CMD_DATA_DIR="${HOMELAB_CMD_DATA_DIR:-$PWD/data}"
export HOMELAB_CMD_HOST="${HOMELAB_CMD_HOST:-127.0.0.1}"
export HOMELAB_CMD_PORT="${HOMELAB_CMD_PORT:-8080}"
# Listening on every address (HOMELAB_CMD_HOST=0.0.0.0, for other hosts to reach), this run and
# its local agent still talk to the hub over loopback.
case "$HOMELAB_CMD_HOST" in
  0.0.0.0 | "::") url="http://127.0.0.1:${HOMELAB_CMD_PORT}" ;;
  *) url="http://${HOMELAB_CMD_HOST}:${HOMELAB_CMD_PORT}" ;;
esac
hub_pid="" agent_pid=""

stop() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

if curl -fsS -o /dev/null "$url/api/v1/system/health" 2>/dev/null; then
  echo "Something already answers on $url; stop it or set HOMELAB_CMD_PORT." >&2
  exit 1
fi

# The hub no longer generates a key; this run makes an admin key of its own unless one is set.
export HOMELAB_CMD_API_KEY="${HOMELAB_CMD_API_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')}"
key="$HOMELAB_CMD_API_KEY"

# The first run creates an admin with a random password and keeps it (mode 0600) in the data
# folder, so later runs can print it again; a password changed since is the user's own.
mkdir -p "$HOMELAB_CMD_DATA_DIR"
login_file="$HOMELAB_CMD_DATA_DIR/make-run-admin.txt"
if [ ! -s "$login_file" ] && [ -z "$(.venv/bin/homelab-cmd users list 2>/dev/null)" ]; then
  (umask 077 && printf 'admin\n%s\n' "$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')" >"$login_file")
  export HOMELAB_CMD_ADMIN_USERNAME=admin
  HOMELAB_CMD_ADMIN_PASSWORD="$(sed -n 2p "$login_file")"
  export HOMELAB_CMD_ADMIN_PASSWORD
fi
if [ -s "$login_file" ]; then
  login="Username:       $(sed -n 1p "$login_file")
    Password:       $(sed -n 2p "$login_file")   (kept in $login_file)"
else
  login="Sign in with your account (forgotten: .venv/bin/homelab-cmd users reset-password NAME)"
fi

.venv/bin/homelab-cmd serve &
hub_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$url/api/v1/system/health" 2>/dev/null && break
  kill -0 "$hub_pid" 2>/dev/null || { echo "The hub failed to start; see the messages above." >&2; exit 1; }
  sleep 0.2
done

# The local agent is enrolled as any host is: a single-use code, then a token of its own.
agent_config="$HOMELAB_CMD_DATA_DIR/agent.yaml"
code="$(curl -fsS -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{}' "$url/api/v1/enrollments" | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["code"])')"
.venv/bin/homelab-agent enroll "$url" "$code" --config "$agent_config" >/dev/null
HOMELAB_AGENT_SPOOL_DIR="$HOMELAB_CMD_DATA_DIR/agent-spool" \
HOMELAB_AGENT_INTERVAL="${HOMELAB_AGENT_INTERVAL:-30}" \
  .venv/bin/homelab-agent --config "$agent_config" &
agent_pid=$!

cat <<BANNER

  HomelabCmd is running.
    Web UI and API: $url
    $login
    API docs:       $url/api/docs
  An agent enrolled with its own token ($agent_config) reports this machine every
  ${HOMELAB_AGENT_INTERVAL:-30} s. "Add server" in the UI adds other hosts. Press Ctrl-C to stop.

BANNER
if [ -z "${HOMELAB_CMD_PUBLIC_URL:-}" ]; then
  cat <<REACH
  Other hosts cannot use the install command shown for $url. To add them, run
    HOMELAB_CMD_HOST=0.0.0.0 HOMELAB_CMD_PUBLIC_URL=http://<this machine's name>:${HOMELAB_CMD_PORT} make run

REACH
fi
wait "$hub_pid"
