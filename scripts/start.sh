#!/usr/bin/env bash
# README command 1: install what is missing, build, and start Hangar on the embedded
# default (SQLite under data/, port 8080). The database is migrated at server start.
# Env: PORT, HANGAR_HOST, DATABASE_URL, HANGAR_PUBLIC_URL (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
t0=$(date +%s%N)
bash scripts/ensure-deps.sh
# The local agent drives this machine's libvirt and container engine (Podman's Docker-API
# socket): install and start them unless disabled.
if [ "${HANGAR_LOCAL_AGENT:-1}" = 1 ]; then
  bash scripts/lab/libvirt-up.sh
  bash scripts/lab/podman-up.sh
  # Where the lab's boot probe ran (scripts/lab/guests-define.sh), new VMs use its verdict:
  # a nested host may offer kvm that never boots a guest.
  probe=${HANGAR_LAB_DIR:-/var/lib/hangar-lab}/guest-virt-type
  if [ -z "${HANGAR_VIRT_TYPE:-}" ] && [ -s "$probe" ]; then export HANGAR_VIRT_TYPE=$(cat "$probe"); fi
fi
echo "[start] building"
npm run --silent build >/tmp/hangar-build.log 2>&1 || { cat /tmp/hangar-build.log; exit 1; }
echo "[start] built in $(( ($(date +%s%N) - t0) / 1000000 )) ms; starting"
exec env NODE_ENV=production node dist/server.js
