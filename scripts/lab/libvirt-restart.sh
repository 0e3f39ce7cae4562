#!/usr/bin/env bash
# Stops libvirtd and starts it again (tests restart it under a running agent). Running
# guests survive: QEMU processes are not children of libvirtd's lifetime.
. "$(dirname "$0")/common.sh"
pkill -x libvirtd || true
wait_for 20 bash -c '! pgrep -x libvirtd' || die "libvirtd did not stop"
rm -f /var/run/libvirtd.pid
libvirtd -d
wait_for 60 virsh -c qemu:///system version || die "libvirtd does not answer after restart"
log "libvirtd restarted"
