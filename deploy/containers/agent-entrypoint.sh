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
# The agent reads the config through its default path, /etc/homelab-agent/config.yaml, a link to
# the volume's (agent.Containerfile), so `podman exec` commands read it too; without one
# (settings all in HOMELAB_AGENT_* variables) it runs on those alone.
exec "$@"
