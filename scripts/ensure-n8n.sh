#!/usr/bin/env bash
# Installs a real n8n (2.40.7) once, outside the repository, for the real-n8n tests, the
# Compare Datasets benchmark and `npm run demo`. Expects Node 24 first on PATH (node24.sh).
#
# Why this recipe: a plain `npm install n8n` fails here because its Kafka client's native
# build downloads from the internet; --ignore-scripts skips it, and sqlite3 (the only native
# module n8n needs for a local database) is then built from its bundled sources.
set -euo pipefail

N8N_VERSION="${HR_SYNC_N8N_VERSION:-2.40.7}"
CACHE="${HR_SYNC_CACHE:-$HOME/.cache/n8n-nodes-hr-sync}"
DIR="$CACHE/n8n-$N8N_VERSION"
STAMP="$DIR/.installed"

if [ -f "$STAMP" ] && [ -x "$DIR/node_modules/.bin/n8n" ]; then
  exit 0
fi

if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 24 ]; then
  echo "ensure-n8n: Node >= 24 must be first on PATH (run through scripts/node24.sh)" >&2
  exit 1
fi

echo "[n8n] installing n8n@$N8N_VERSION into $DIR (once; about 5 minutes)" >&2
mkdir -p "$DIR"
[ -f "$DIR/package.json" ] || echo '{"private":true}' > "$DIR/package.json"
(
  cd "$DIR"
  npm install --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$N8N_VERSION" >&2
  npm rebuild sqlite3 --loglevel=error >&2
)
touch "$STAMP"
echo "[n8n] installed" >&2
