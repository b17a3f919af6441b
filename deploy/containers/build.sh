#!/usr/bin/env bash
# `make image`: localhost/homelab-cmd and localhost/homelab-agent (tagged latest and VERSION),
# built with podman from the wheels `make dist` made, on a local Debian base made with
# debootstrap, so no image registry is needed. Both Containerfiles build the same way with
# Docker from the official python image (see their headers).
#
# The base (Debian bookworm minbase with its Python 3.11, as the official python:3.11-slim is
# bookworm) is kept as build/images/debian-bookworm-python.tar and imported once; delete it (and
# `podman rmi localhost/homelab-base:bookworm-python`) to make a fresh one. Environment:
#   DEBIAN_MIRROR    where debootstrap fetches from (default: this host's apt source)
#   HOST_CA_BUNDLE   a CA bundle lent to pip during the build for a proxy that re-signs HTTPS
#                    (default: /etc/ssl/certs/ca-certificates.crt when present); never copied
#                    into an image
#   CONTAINERS_CONF  podman settings (default: deploy/containers/containers.conf)
set -euo pipefail
cd "$(dirname "$0")/../.."

# One build at a time on a checkout: a second one (two test workers, two `make image`) waits,
# then finds the base and the layers made. Two at once both made the base in one folder, and
# each removed the other's (seen on a machine without the base yet).
mkdir -p build/images
exec 9>build/images/.build.lock
flock 9

export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/deploy/containers/containers.conf}"
version="$(cat VERSION)"
suite=bookworm
base_image="localhost/homelab-base:${suite}-python"
base_tar="build/images/debian-${suite}-python.tar"

apt_mirror() {
  # The host's own Debian source: on a machine behind a mirror or a snapshot, that is the one
  # that answers.
  local uri=""
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

make_base_tar() {
  local root="build/images/rootfs"
  local mirror="${DEBIAN_MIRROR:-$(apt_mirror)}"
  echo "Making the local base with debootstrap ($suite from $mirror)" >&2
  rm -rf "$root" && mkdir -p "$root"
  debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    "$suite" "$root" "$mirror" >build/images/debootstrap.log
  # What an image does not need: downloaded packages, package lists, documentation, locales.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin \
    "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
    "$root"/usr/share/locale/* "$root"/var/log/*.log "$root"/tmp/*
  echo "deb $mirror $suite main" >"$root/etc/apt/sources.list"
  tar --numeric-owner -C "$root" -cf "$base_tar.tmp" .
  mv "$base_tar.tmp" "$base_tar"
  rm -rf "$root"
}

if ! podman image exists "$base_image"; then
  mkdir -p build/images
  [ -s "$base_tar" ] || make_base_tar
  # The environment the official python image has, so the Containerfiles' ENV lines extend it.
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    "$base_tar" "$base_image" >/dev/null
fi

build_args=(--format docker --network host --build-arg "PYTHON_IMAGE=$base_image"
  --build-arg "VERSION=$version")
ca="${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
if [ -r "$ca" ]; then
  build_args+=(--volume "$(realpath "$ca"):/run/host-ca.crt:ro" --build-arg PIP_CERT=/run/host-ca.crt)
fi

for wheel in "dist/homelab_cmd-$version-py3-none-any.whl" "dist/homelab_agent-$version-py3-none-any.whl"; do
  [ -s "$wheel" ] || { echo "$wheel is missing: run 'make dist' first" >&2; exit 1; }
done

# The images these builds replace, removed afterwards: a rebuild otherwise leaves the old venv
# layer (about 130 MB) behind each time. Layers the build cache reuses belong to the new ones.
replaced="$(podman image inspect --format '{{.Id}}' localhost/homelab-cmd:latest localhost/homelab-agent:latest 2>/dev/null || true)"

podman build "${build_args[@]}" --build-arg HUB_WHEEL=dist \
  -f deploy/containers/hub.Containerfile -t localhost/homelab-cmd:latest -t "localhost/homelab-cmd:$version" .
podman build "${build_args[@]}" --build-arg AGENT_WHEEL=dist \
  -f deploy/containers/agent.Containerfile -t localhost/homelab-agent:latest -t "localhost/homelab-agent:$version" .
current="$(podman image inspect --format '{{.Id}}' localhost/homelab-cmd:latest localhost/homelab-agent:latest)"
for id in $replaced; do
  case "$current" in
    *"$id"*) ;;
    *) podman rmi "$id" >/dev/null 2>&1 || true ;; # still used by a container: kept
  esac
done
podman image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' --filter reference='localhost/homelab-*'
