#!/usr/bin/env bash
# Installs what Hangar itself needs to build: Debian build tools for native addons, npm
# packages (npm ci when package-lock.json changed), the Prisma clients. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[deps] %s\n' "$*"; }

need=()
for p in ca-certificates python3 make g++ git curl; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then echo "[deps] Node.js 20 or newer is required (found $(node --version 2>/dev/null || echo none))" >&2; exit 1; fi

stamp=node_modules/.hangar-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "npm ci (package-lock.json changed or first run)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# Regenerate the Prisma clients when the schema changed.
schema_sum=$(sha256sum prisma/schema.prisma | cut -d' ' -f1)
gstamp=server/web/db/generated/.schema.sha256
if [ ! -f "$gstamp" ] || [ "$(cat "$gstamp")" != "$schema_sum" ]; then
  log "prisma generate"
  node scripts/prisma.mjs generate >/dev/null
  echo "$schema_sum" > "$gstamp"
fi
