#!/bin/sh
# The agent image's entrypoint: on the first start, trade HOMELAB_AGENT_ENROLL_CODE (the code
# from the hub's "Add server" dialog) at HOMELAB_AGENT_HUB_URL for this host's own token, which
# `enroll` writes to the config in the volume; then run the command (the agent by default).
# Later starts find the config and ignore the code: it was single-use.
set -eu
config="${HOMELAB_AGENT_CONFIG:-/var/lib/homelab-agent/config.yaml}"
code="${HOMELAB_AGENT_ENROLL_CODE:-}"
# Not an agent setting: the agent would warn about an unknown HOMELAB_AGENT_* variable.
unset HOMELAB_AGENT_ENROLL_CODE
if [ -n "$code" ] && [ ! -s "$config" ]; then
  if [ -z "${HOMELAB_AGENT_HUB_URL:-}" ]; then
    echo "HOMELAB_AGENT_ENROLL_CODE is set but HOMELAB_AGENT_HUB_URL is not: set it to the hub's address" >&2
    exit 2
  fi
  mkdir -p "$(dirname "$config")"
  homelab-agent enroll "$HOMELAB_AGENT_HUB_URL" "$code" --config "$config"
fi
# The agent insists on a config file it is pointed at; without one (settings all in
# HOMELAB_AGENT_* variables, or a command such as `filesystems`) it runs on those alone.
if [ -e "$config" ]; then
  export HOMELAB_AGENT_CONFIG="$config"
fi
exec "$@"
