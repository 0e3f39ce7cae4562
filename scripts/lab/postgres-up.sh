#!/usr/bin/env bash
# A dedicated PostgreSQL cluster for tests, on loopback only (port $HANGAR_PG_PORT, default
# 55432), trust auth for local connections. Prints the URL of database hangar_test.
. "$(dirname "$0")/common.sh"
need_pkgs postgresql
port=${HANGAR_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
data=$HANGAR_LAB_DIR/pg
if [ ! -s "$data/PG_VERSION" ]; then
  mkdir -p "$data"; chown postgres:postgres "$data"; chmod 700 "$data"
  su postgres -s /bin/sh -c "$bin/initdb -D '$data' -A trust -U postgres >/dev/null" || die "initdb failed"
fi
if ! su postgres -s /bin/sh -c "$bin/pg_ctl -D '$data' status" >/dev/null 2>&1; then
  su postgres -s /bin/sh -c "$bin/pg_ctl -D '$data' -l '$data/server.log' -w -t 60 -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" start" >/dev/null || die "PostgreSQL did not start (see $data/server.log)"
fi
psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='hangar_test'" | grep -q 1 || psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE hangar_test" >/dev/null
echo "postgresql://postgres@127.0.0.1:$port/hangar_test"
