#!/usr/bin/env bash
# Makes the docker sandbox backend testable on a machine with no registry: installs the engine and
# debootstrap from Debian, starts dockerd when no engine answers, and builds the sandbox image from a
# minimal Debian root file system when it is missing. Idempotent; safe to run before every test run.
#   MP_DOCKER_IMAGE   image name to build (default modelprogrammer-sandbox:bookworm)
#   MP_DEBIAN_MIRROR  mirror for debootstrap (default: the first deb.debian.org-style URL apt uses)
set -euo pipefail

image=${MP_DOCKER_IMAGE:-modelprogrammer-sandbox:bookworm}
export DEBIAN_FRONTEND=noninteractive

log() { printf 'ci-docker: %s\n' "$*" >&2; }

need_install=()
command -v dockerd >/dev/null 2>&1 || need_install+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need_install+=(debootstrap)
if ((${#need_install[@]} > 0)); then
  log "installing ${need_install[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_install[@]}" iptables ca-certificates >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  log 'no docker engine answers; starting dockerd'
  # Detached from this script (setsid + nohup) so it outlives the CI step that started it.
  setsid nohup dockerd >/var/log/mp-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    log 'dockerd did not answer within 60 s; its log:'
    tail -n 40 /var/log/mp-dockerd.log >&2 || true
    exit 1
  fi
fi
log "engine: $(docker version --format '{{.Server.Version}}')"

# What the image must hold: bash for the shell, git for the read-only policy's git commands (and the
# isolated-run tests that arm a repository against them).
image_tools='bash git'
if docker image inspect "$image" >/dev/null 2>&1; then
  if docker run --rm --network none --entrypoint sh "$image" -c "for t in $image_tools; do command -v \$t || exit 1; done" >/dev/null 2>&1; then
    log "image $image present"
    exit 0
  fi
  # Built by an older version of this script; the new build takes over the tag.
  log "image $image lacks one of: $image_tools; building it again"
fi

mirror=${MP_DEBIAN_MIRROR:-}
if [[ -z $mirror ]]; then
  # Use the mirror apt already reaches (it may be a local proxy on CI machines).
  mirror=$(grep -rhoE '(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
    awk '{print $2}' | grep -E '/debian/?$' | head -n 1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi

rootfs=$(mktemp -d /var/tmp/mp-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
log "building $image with debootstrap from $mirror (a few minutes)"
debootstrap --variant=minbase --include=git bookworm "$rootfs" "$mirror" >/var/log/mp-debootstrap.log 2>&1 || {
  log 'debootstrap failed; its log:'
  tail -n 40 /var/log/mp-debootstrap.log >&2
  exit 1
}
# Package caches only make the image bigger.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | docker import --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
log "built $image"
