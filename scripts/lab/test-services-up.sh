#!/usr/bin/env bash
# Everything the test suite needs, installed and started: PostgreSQL, libvirtd + QEMU with
# the tiny test guests, Chromium. Writes $HANGAR_LAB_DIR/test-env.sh for the test command.
. "$(dirname "$0")/common.sh"
here=$(dirname "$0")
t0=$SECONDS
pg_url=$(bash "$here/postgres-up.sh" | tail -1)
bash "$here/libvirt-up.sh"
bash "$here/guest-build.sh"
bash "$here/guests-define.sh" 2
# A second libvirtd standing in for a second host (live migration tests).
bash "$here/second-libvirt-up.sh" >/dev/null
bash "$here/chromium-up.sh"
bash "$here/podman-up.sh"
cat > "$HANGAR_LAB_DIR/test-env.sh" <<ENV
export HANGAR_TEST_PG_URL='$pg_url'
export HANGAR_LAB_DIR='$HANGAR_LAB_DIR'
export HANGAR_LIBVIRT=1
# The boot probe's verdict (guests-define.sh): on nested hosts /dev/kvm can open and libvirt
# offer kvm while a guest never boots under it, so VMs Hangar creates use what the probe saw.
export HANGAR_VIRT_TYPE='$(cat "$HANGAR_LAB_DIR/guest-virt-type")'
export HANGAR_PODMAN_SOCKET='${HANGAR_PODMAN_SOCKET:-/run/podman/podman.sock}'
ENV
log "test services ready in $((SECONDS - t0)) s"
