#!/usr/bin/env bash
# Proves the README's two commands on a slim machine (issue 7 item 11): a fresh clone of this checkout's
# HEAD, `npm ci` and `npm start` with no C/C++ compiler, make or Python on PATH and no npm_config_nodedir
# (so nothing can build a native addon), then GET /api/health on the started server. Fails on any step.
#   MP_FRESH_REF   commit to check out in the clone (default: the checkout's HEAD; uncommitted changes are
#                  not part of a clone)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
ref=$(git -C "$repo" rev-parse "${MP_FRESH_REF:-HEAD}")
work=$(mktemp -d)
server_pid=

log() { printf 'fresh-install: %s\n' "$*" >&2; }

cleanup() {
  # The server runs in its own process group (setsid), so this ends npm, sh and node together.
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone --quiet --no-local "$repo" "$work/clone"
git -C "$work/clone" checkout --quiet --detach "$ref"

# PATH holds node, npm and the shell npm runs scripts with, nothing else: a native addon's
# `node-gyp rebuild` would need a compiler, make and Python from PATH, and none is there.
bin="$work/bin"
mkdir "$bin"
for tool in node npm npx sh; do ln -s "$(command -v "$tool")" "$bin/$tool"; done
for tool in cc gcc c++ g++ clang make cmake python3 python; do
  if PATH=$bin command -v "$tool" >/dev/null; then
    log "$tool is on the restricted PATH; the proof would mean nothing"
    exit 1
  fi
done

# A clean environment, as on a new machine: no npm_config_* and an empty npm user config (a developer's
# ~/.npmrc may name a nodedir), no CC/CXX. Kept: how this machine reaches the registry (CA, proxy).
touch "$work/npmrc"
clean_env=(HOME="$HOME" PATH="$bin" TMPDIR="${TMPDIR:-/tmp}" npm_config_userconfig="$work/npmrc")
for name in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR HTTPS_PROXY https_proxy HTTP_PROXY http_proxy NO_PROXY no_proxy; do
  if [[ -n ${!name:-} ]]; then clean_env+=("$name=${!name}"); fi
done
run() { env -i "${clean_env[@]}" "$@"; }

log "npm ci in a fresh clone of $(git -C "$work/clone" rev-parse --short HEAD), no compiler, no nodedir"
started=$(date +%s)
(cd "$work/clone" && run npm ci --no-audit --no-fund)
log "npm ci took $(($(date +%s) - started)) s"

log 'npm start'
(cd "$work/clone" && exec setsid env -i "${clean_env[@]}" npm start -- --no-open --port 0 --data-dir "$work/data") >"$work/server.log" 2>&1 &
server_pid=$!

port=
for _ in $(seq 1 180); do
  port=$(sed -n 's#.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$work/server.log" | head -n 1)
  [[ -n $port ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then break; fi
  sleep 1
done
if [[ -z $port ]]; then
  log 'the server did not print its listening line; its output:'
  cat "$work/server.log" >&2
  exit 1
fi

health=$(run node -e '
  fetch(`http://127.0.0.1:${process.argv[1]}/api/health`).then(async (response) => {
    const body = await response.text();
    console.log(`${response.status} ${body}`);
    process.exit(response.ok ? 0 : 1);
  }, (error) => { console.error(error.message); process.exit(1); });
' "$port") || {
  log "GET /api/health failed: $health; server output:"
  cat "$work/server.log" >&2
  exit 1
}
log "GET /api/health -> $health"
