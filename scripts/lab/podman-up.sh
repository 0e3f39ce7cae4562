#!/usr/bin/env bash
# Installs Podman and serves the Docker Engine API on $HANGAR_PODMAN_SOCKET (default
# /run/podman/podman.sock) without systemd, then makes sure the local test image
# localhost/hangar-busybox:latest exists (container-image.sh). shared/notes/host-lab.md:
# crun fails here (cgroups hybrid) and the default ulimits need CAP_SYS_RESOURCE
# ("error setting rlimit type 7: operation not permitted"), so containers.conf pins runc
# and small ulimits. Service log: $HANGAR_LAB_DIR/logs/podman.log.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
sock=${HANGAR_PODMAN_SOCKET:-/run/podman/podman.sock}
conf=/etc/containers/containers.conf
logfile=$HANGAR_LAB_DIR/logs/podman.log
need_pkgs podman runc busybox-static curl

# toml_set SECTION KEY VALUE: copies the TOML text on stdin with KEY = VALUE in [SECTION]:
# an existing KEY line there (even a multi-line array) is replaced, otherwise the line is
# added under the section header, or a new section is appended.
toml_set() {
  awk -v sec="[$1]" -v key="$2" -v line="$2 = $3" '
    function flush() { if (insec && !done) { print line; done = 1 } }
    skip { if ($0 ~ /\]/) skip = 0; next }
    /^[ \t]*\[/ { flush(); h = $0; gsub(/[ \t]/, "", h); insec = (h == sec); print; next }
    insec && $0 ~ "^[ \t]*" key "[ \t]*=" {
      if (!done) { print line; done = 1 }
      v = $0; sub(/^[^=]*=/, "", v)
      if (v ~ /\[/ && v !~ /\]/) skip = 1
      next
    }
    { print }
    END { flush(); if (!done) { if (NR) print ""; print sec; print line } }
  '
}
# service_pid: the pid of a running `podman system service` on $sock, if any. Found by
# command line, not by a pid kept from `&`: that pid may still be the forked shell before
# exec, or setsid's parent that exits at once when it forks.
service_pid() {
  local f pid
  for f in /proc/[0-9]*/cmdline; do
    if tr '\0' ' ' 2>/dev/null <"$f" | grep -qx "podman system service --time=0 unix://$sock "; then
      pid=${f#/proc/}; echo "${pid%/cmdline}"; return 0
    fi
  done
  return 1
}

mkdir -p "$(dirname "$conf")"
current=$(cat "$conf" 2>/dev/null || true)
wanted=$(printf '%s\n' "$current" | sed '/./,$!d' \
  | toml_set containers default_ulimits '["nofile=1024:1024", "nproc=1024:1024"]' \
  | toml_set engine runtime '"runc"')
if [ "$(printf '%s\n' "$current" | sed '/./,$!d')" != "$wanted" ]; then
  [ -e "$conf" ] && cp "$conf" "$conf.hangar-bak"
  printf '%s\n' "$wanted" > "$conf"
  log "wrote $conf (runtime runc, small default ulimits)"
  # A running service read the old settings: restart it.
  if pid=$(service_pid); then
    log "restarting the podman service (pid $pid) for the new settings"
    kill "$pid"; wait_for 10 bash -c "! kill -0 $pid" || die "old podman service (pid $pid) did not stop"
  fi
fi

ping_ok() { [ "$(curl -s --max-time 2 --unix-socket "$sock" http://d/v1.41/_ping 2>/dev/null)" = OK ]; }
start_service() {
  mkdir -p "$(dirname "$sock")" && rm -f "$sock" || die "cannot prepare $sock"
  setsid -f podman system service --time=0 "unix://$sock" >>"$logfile" 2>&1 </dev/null
  log "podman system service starting (log $logfile)"
}
# wait_up: true once the API answers. Gives up early when no service process is left, but
# only after 3 s: CI once gave up "after 0 s" while the service was still being started.
wait_up() {
  local t0=$SECONDS
  gone() { [ $((SECONDS - t0)) -ge 3 ] && ! service_pid; }
  up_or_gone() { ping_ok || gone; }
  wait_for 30 up_or_gone || true
  ping_ok
}
if ping_ok; then
  log "podman API answers on $sock"
else
  t0=$SECONDS
  if pid=$(service_pid); then log "podman service (pid $pid) is running but not answering yet"
  else start_service; fi
  if ! wait_up && ! service_pid >/dev/null; then
    log "podman service exited before answering; starting it once more"
    start_service; wait_up || true
  fi
  ping_ok || die "podman API does not answer on $sock after $((SECONDS - t0)) s; service $(service_pid || echo 'not running'); $(podman --version 2>&1); see $logfile: $(tail -8 "$logfile" 2>/dev/null | tr '\n' ' ')"
  log "podman API answers on $sock after $((SECONDS - t0)) s (pid $(service_pid))"
fi
bash "$here/container-image.sh"
