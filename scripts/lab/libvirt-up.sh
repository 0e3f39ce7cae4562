#!/usr/bin/env bash
# Installs and starts libvirtd + QEMU without systemd. Decides KVM or TCG at run time:
# when /dev/kvm exists but cannot be opened, it is moved aside BEFORE libvirtd starts,
# otherwise libvirtd re-probes QEMU on every call (~40 s each; shared/notes/host-lab.md).
# Writes the chosen domain type ("kvm" or "qemu") to $HANGAR_LAB_DIR/virt-type.
. "$(dirname "$0")/common.sh"
# dnsmasq-base: libvirt runs dnsmasq for the DHCP/DNS of NAT and isolated networks; without
# it starting such a network fails ("Unable to find 'dnsmasq' binary in $PATH").
# ovmf: UEFI firmware for guests (its descriptors in /usr/share/qemu/firmware make libvirt
# offer firmware='efi'); without it Hangar offers BIOS only.
need_pkgs libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils dnsmasq-base ovmf

kvm_opens() { python3 -c 'import os; os.close(os.open("/dev/kvm", os.O_RDWR))' 2>/dev/null; }
if [ -e /dev/kvm ] && ! kvm_opens; then
  if pgrep -x libvirtd >/dev/null; then
    log "/dev/kvm is unusable: restarting libvirtd without it"
    pkill -x libvirtd || true; wait_for 20 bash -c '! pgrep -x libvirtd' || die "libvirtd did not stop"
  fi
  mv /dev/kvm /dev/kvm.unusable
  log "/dev/kvm cannot be opened: moved to /dev/kvm.unusable (guests use TCG)"
fi
# QEMU runs as libvirt-qemu (group kvm): a /dev/kvm that only root may open (0600, as on
# these machines without udev) makes libvirtd re-probe QEMU on every call (~7 s each).
if [ -e /dev/kvm ] && getent group kvm >/dev/null; then chgrp kvm /dev/kvm && chmod 0660 /dev/kvm; fi
if [ -e /dev/kvm ]; then virt=kvm; else virt=qemu; fi
echo "$virt" > "$HANGAR_LAB_DIR/virt-type"

pgrep -x virtlogd >/dev/null || virtlogd -d
if ! pgrep -x libvirtd >/dev/null; then
  rm -f /var/run/libvirtd.pid
  libvirtd -d || die "libvirtd failed to start"
fi
t0=$SECONDS
wait_for 90 virsh -c qemu:///system version || die "libvirtd does not answer"
log "libvirtd answers after $((SECONDS - t0)) s (/dev/kvm: $([ "$virt" = kvm ] && echo opens || echo unusable or absent))"
