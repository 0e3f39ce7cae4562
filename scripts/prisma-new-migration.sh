#!/usr/bin/env bash
# Writes a new migration for both providers from the difference between the schema at
# git HEAD and the working prisma/schema.prisma. Usage: scripts/prisma-new-migration.sh NAME
# The PostgreSQL diff needs a reachable database for the adapter (any empty one):
# HANGAR_PG_ADMIN_URL=postgresql://postgres@127.0.0.1:55432/postgres
# Migrations are applied by server/web/db/migrate.ts, not by `prisma migrate deploy`
# (that path fails through @prisma/adapter-pg: prisma/orm#27403).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: $0 NAME}
stamp=$(date -u +%Y%m%d%H%M%S)
export PRISMA_SCHEMA_ENGINE_BINARY=$PWD/node_modules/.prisma-offline-placeholder
export PRISMA_QUERY_ENGINE_LIBRARY=$PRISMA_SCHEMA_ENGINE_BINARY
node scripts/prisma.mjs generate >/dev/null   # also re-derives prisma/postgres/schema.prisma
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
git show HEAD:prisma/schema.prisma > "$tmp/old.prisma" 2>/dev/null || : > "$tmp/old.prisma"
sed 's|provider = "sqlite"|provider = "postgresql"|' "$tmp/old.prisma" > "$tmp/old-pg.prisma"
for provider in sqlite postgresql; do
  if [ "$provider" = sqlite ]; then old=$tmp/old.prisma; new=prisma/schema.prisma; dir=prisma/migrations; url=file:$tmp/x.db
  else old=$tmp/old-pg.prisma; new=prisma/postgres/schema.prisma; dir=prisma/postgres/migrations; url=${HANGAR_PG_ADMIN_URL:?set HANGAR_PG_ADMIN_URL}; fi
  if [ -s "$old" ]; then from=(--from-schema-datamodel "$old"); else from=(--from-empty); fi
  sql=$(DATABASE_URL=$url npx prisma migrate diff "${from[@]}" --to-schema-datamodel "$new" --script)
  if ! grep -qE '^(CREATE|ALTER|DROP|PRAGMA)' <<<"$sql"; then echo "$provider: no change"; continue; fi
  mkdir -p "$dir/${stamp}_$name"
  printf '%s\n' "$sql" > "$dir/${stamp}_$name/migration.sql"
  echo "$provider: wrote $dir/${stamp}_$name/migration.sql"
done
