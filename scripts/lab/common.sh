# Shared helpers for the lab scripts (sourced). State lives under $HANGAR_LAB_DIR.
set -euo pipefail
export HANGAR_LAB_DIR=${HANGAR_LAB_DIR:-/var/lib/hangar-lab}
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$HANGAR_LAB_DIR/logs"
log() { printf '[lab] %s\n' "$*"; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

# need_pkgs PKG...: installs the Debian packages that are missing (one apt-get update).
need_pkgs() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || die "could not install ${missing[*]}"
}

# wait_for SECONDS CMD...: retries CMD every 0.2 s until it succeeds or time runs out.
wait_for() {
  local limit=$1; shift
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $end ] && return 1
    sleep 0.2
  done
}
