#!/usr/bin/env bash
# A SECOND libvirtd on this machine standing in for a second host, for live-migration tests.
# It runs in its own mount namespace, where /etc/libvirt, /var/lib/libvirt, /var/cache/libvirt,
# /var/log/libvirt and every driver directory under /run/libvirt (qemu/, network/, …: pid
# locks and live domain status files, which a migrated guest of the same name would share)
# are bind mounts of directories of its own, so its config, domain state, monitor sockets and
# logs never touch the first daemon's. /run/libvirt itself is NOT private: the first daemon's
# socket stays at /run/libvirt/libvirt-sock for this one too (migrating back). What both
# share on purpose: the filesystem (so a guest's kernel/disk files are "shared storage"),
# the network namespace (QEMU's migration stream goes over loopback) and /dev/pts (serial
# consoles). Its RPC socket is outside every bind mount, so agents and the first libvirtd
# reach it by path: qemu+unix:///system?socket=$HANGAR_LAB_DIR/libvirt-b/sock/libvirt-sock.
# Idempotent: a daemon that answers is left alone. Prints the socket path last.
# Stop it with second-libvirt-down.sh.
. "$(dirname "$0")/common.sh"
bash "$(dirname "$0")/libvirt-up.sh" >/dev/null
B="$HANGAR_LAB_DIR/libvirt-b"
sock="$B/sock/libvirt-sock"
uri="qemu+unix:///system?socket=$sock"
answers() { timeout 20 virsh -c "$uri" version >/dev/null 2>&1; }
if [ -f "$B/libvirtd.pid" ] && kill -0 "$(cat "$B/libvirtd.pid")" 2>/dev/null && answers; then
  echo "$sock"
  exit 0
fi
[ -f "$B/libvirtd.pid" ] && kill "$(cat "$B/libvirtd.pid")" 2>/dev/null && sleep 0.5
mkdir -p "$B"/{etc/qemu,lib,cache,log/qemu,sock,bin}
run_dirs="qemu network storage nodedev nwfilter nwfilter-binding secrets interface hostdevmgr common"
binds=""
for d in $run_dirs; do
  mkdir -p "/run/libvirt/$d" "$B/run/$d"
  binds="$binds mount --bind '$B/run/$d' '/run/libvirt/$d' &&"
done
# Migration refuses a destination with the source's host UUID ("same host"): a fixed UUID of
# its own, kept across restarts (the first daemon's is random when there is no SMBIOS UUID).
[ -f "$B/host-uuid" ] || python3 -c 'import uuid; print(uuid.uuid4())' > "$B/host-uuid"
cat > "$B/etc/libvirtd.conf" <<CONF
unix_sock_dir = "$B/sock"
auth_unix_rw = "none"
auth_unix_ro = "none"
listen_tcp = 0
listen_tls = 0
host_uuid = "$(cat "$B/host-uuid")"
log_outputs = "3:file:$B/log/libvirtd.log"
CONF
# The first daemon's QEMU settings (user, group, security driver), plus: QEMU's own log
# files instead of virtlogd (whose socket is under the private /run/libvirt); no cgroups (a
# migrated guest keeps its name, so both daemons would create the same machine cgroup);
# port ranges apart from the first daemon's (incoming migration 49152-49215, VNC 5900+).
{
  grep -vE '^\s*(#|$)' /etc/libvirt/qemu.conf 2>/dev/null || true
  echo 'stdio_handler = "file"'
  echo 'cgroup_controllers = [ ]'
  echo 'migration_port_min = 49300'
  echo 'migration_port_max = 49399'
  echo 'remote_display_port_min = 5950'
  echo 'remote_display_port_max = 6100'
} > "$B/etc/qemu.conf"
# QEMU's capabilities probed by the first daemon: the second starts without a 10 s re-probe.
[ -d "$B/cache/qemu" ] || { [ -d /var/cache/libvirt/qemu ] && cp -a /var/cache/libvirt/qemu "$B/cache/qemu"; } || true
# Its own process name, so `pgrep -x libvirtd` / `pkill -x libvirtd` (libvirt-up.sh,
# libvirt-restart.sh) never see or stop this one.
ln -sf "$(command -v libvirtd)" "$B/bin/libvirtd-b"
rm -f "$sock" "$B/libvirtd.pid"
unshare -m --propagation private sh -c "
  mount --bind '$B/etc' /etc/libvirt && $binds
  mount --bind '$B/lib' /var/lib/libvirt && mount --bind '$B/cache' /var/cache/libvirt &&
  mount --bind '$B/log' /var/log/libvirt &&
  exec '$B/bin/libvirtd-b' -d --config '$B/etc/libvirtd.conf' --pid-file '$B/libvirtd.pid'
" || die "second libvirtd failed to start (see $B/log/libvirtd.log)"
t0=$SECONDS
wait_for 90 answers || die "second libvirtd does not answer on $sock"
log "second libvirtd answers on $sock after $((SECONDS - t0)) s"
echo "$sock"
