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
ready() { psql -h 127.0.0.1 -p "$port" -U postgres -tAc 'SELECT 1' >/dev/null 2>&1; }
# Whether the postmaster recorded in postmaster.pid still runs. Not `pg_ctl status`: it
# says "running" for a killed postmaster not yet reaped (seen for ~1 s after SIGKILL; the
# start was then skipped and every psql refused).
postmaster_runs() {
  local pid st
  pid=$(head -1 "$data/postmaster.pid" 2>/dev/null) && [ -n "$pid" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] || return 1
  st=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null) && [ "${st%% *}" != Z ]
}
if ! ready; then
  if postmaster_runs; then
    wait_for 60 ready || die "PostgreSQL (pid $(head -1 "$data/postmaster.pid")) runs but does not answer on port $port (see $data/server.log)"
  else
    # The new postmaster refuses to start while either lock file names a pid that still
    # exists, and a zombie does (seen: "lock file /tmp/.s.PGSQL.<port>.lock already exists").
    rm -f "$data/postmaster.pid" "/tmp/.s.PGSQL.$port.lock"
    su postgres -s /bin/sh -c "$bin/pg_ctl -D '$data' -l '$data/server.log' -w -t 60 -o \"-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" start" >/dev/null || die "PostgreSQL did not start (see $data/server.log)"
  fi
fi
psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='hangar_test'" | grep -q 1 || psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE hangar_test" >/dev/null
echo "postgresql://postgres@127.0.0.1:$port/hangar_test"
