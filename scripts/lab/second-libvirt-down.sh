#!/usr/bin/env bash
# Stops the second libvirtd (second-libvirt-up.sh) after destroying its guests; its state
# directory stays, so the next start is fast.
. "$(dirname "$0")/common.sh"
B="$HANGAR_LAB_DIR/libvirt-b"
uri="qemu+unix:///system?socket=$B/sock/libvirt-sock"
[ -f "$B/libvirtd.pid" ] && kill -0 "$(cat "$B/libvirtd.pid")" 2>/dev/null || exit 0
for d in $(timeout 20 virsh -c "$uri" list --name 2>/dev/null); do timeout 20 virsh -c "$uri" destroy "$d" >/dev/null 2>&1 || true; done
pid=$(cat "$B/libvirtd.pid")
kill "$pid"
wait_for 20 bash -c "! kill -0 $pid" || die "second libvirtd did not stop"
rm -f "$B/libvirtd.pid"
log "second libvirtd stopped"
