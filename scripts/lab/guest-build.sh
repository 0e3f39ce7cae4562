#!/usr/bin/env bash
# Builds the tiny real guest once: a Debian cloud kernel + a busybox initramfs, booted by
# libvirt's direct kernel boot. It prints "hangar-guest booted" and runs a shell on tty1
# (VNC) and ttyS0 (serial), respawned by busybox init. ACPI power button → poweroff
# (button + evdev modules are loaded for it); Ctrl+Alt+Del → reboot.
# Output: $HANGAR_LAB_DIR/guest/{vmlinuz,initrd.gz}
. "$(dirname "$0")/common.sh"
out=$HANGAR_LAB_DIR/guest
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.gz" ] && [ "$(cat "$out/version" 2>/dev/null)" = 3 ]; then log "guest already built ($out)"; exit 0; fi
need_pkgs busybox-static cpio
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | grep -m1 -o 'linux-image-[0-9][^ ]*' || true)
if [ -z "$pkg" ]; then apt-get update -qq >/dev/null; pkg=$(apt-cache depends linux-image-cloud-amd64 | grep -m1 -o 'linux-image-[0-9][^ ]*'); fi
log "downloading $pkg"
apt-get download "$pkg" >/dev/null 2>&1 || die "apt-get download $pkg failed"
dpkg-deb -x ./*.deb k
kver=$(ls k/lib/modules)

mkdir -p root/{bin,sbin,etc,proc,sys,dev,tmp,root,lib/modules}
cp /bin/busybox root/bin/busybox
for m in kernel/drivers/input/evdev.ko kernel/drivers/acpi/button.ko; do cp "k/lib/modules/$kver/$m" root/lib/modules/; done
cat > root/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
hostname hangar-guest
exec /bin/init
INIT
cat > root/etc/inittab <<'TAB'
::sysinit:/etc/rc
tty1::respawn:/bin/cttyhack /bin/sh -l
ttyS0::respawn:/bin/cttyhack /bin/sh -l
::ctrlaltdel:/bin/reboot -f
::shutdown:/bin/sync
TAB
cat > root/etc/rc <<'RC'
#!/bin/sh
insmod /lib/modules/evdev.ko; insmod /lib/modules/button.ko
echo 0 > /proc/sys/kernel/ctrl-alt-del
# ACPI power button (virsh shutdown) → clean poweroff.
(
  for dev in /sys/class/input/event*; do
    if grep -q "Power Button" "$dev/device/name" 2>/dev/null; then
      dd if=/dev/input/${dev##*/} bs=24 count=1 >/dev/null 2>&1 && poweroff -f
    fi
  done
) &
for t in /dev/console /dev/tty1 /dev/ttyS0; do echo "hangar-guest booted" > $t 2>/dev/null; done
RC
cat > root/etc/profile <<'PROF'
export PS1='hangar-guest:$PWD# '
export HOME=/root PATH=/bin
PROF
chmod +x root/init root/etc/rc
mkdir -p "$out"
(cd root && find . | cpio -o -H newc 2>/dev/null | gzip -9) > "$out/initrd.gz"
cp k/boot/vmlinuz-* "$out/vmlinuz"
echo 3 > "$out/version"
log "guest built: $out (kernel $kver)"
