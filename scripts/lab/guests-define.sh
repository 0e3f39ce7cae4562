#!/usr/bin/env bash
# Defines N persistent test guests hangar-test-1..N (default 2) that boot the tiny guest.
# Running guests are left alone; shut-off ones are redefined. Serial output is also
# logged to $HANGAR_LAB_DIR/logs/<name>.serial.log for tests.
. "$(dirname "$0")/common.sh"
n=${1:-2}
virt=$(cat "$HANGAR_LAB_DIR/virt-type" 2>/dev/null || echo qemu)
g=$HANGAR_LAB_DIR/guest
[ -s "$g/vmlinuz" ] || die "guest not built: run scripts/lab/guest-build.sh"

# /dev/kvm opening is not enough: on some nested hosts KVM_CREATE_VM works but a guest
# kernel never gets past the boot loader. Boot the real guest once with KVM and fall
# back to TCG when it does not print its banner within 20 s. Cached per host kernel.
probe_key="$(uname -r) $(stat -c %i /dev/kvm 2>/dev/null || echo none)"
if [ "$virt" = kvm ] && [ "$(cat "$HANGAR_LAB_DIR/kvm-probe.key" 2>/dev/null)" != "$probe_key" ]; then
  probe=hangar-kvm-probe; plog=$HANGAR_LAB_DIR/logs/$probe.serial.log; rm -f "$plog"
  virsh -c qemu:///system destroy $probe >/dev/null 2>&1 || true
  virsh -c qemu:///system undefine $probe >/dev/null 2>&1 || true
  pxml=$(mktemp)
  cat > "$pxml" <<XML
<domain type='kvm'><name>$probe</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>$g/vmlinuz</kernel><initrd>$g/initrd.gz</initrd><cmdline>console=ttyS0</cmdline></os>
  <devices><serial type='pty'><log file='$plog' append='off'/><target port='0'/></serial></devices></domain>
XML
  virsh -c qemu:///system create "$pxml" >/dev/null 2>&1 || true
  rm -f "$pxml"
  if wait_for 20 grep -q "hangar-guest booted" "$plog"; then result=kvm; else result=qemu; fi
  virsh -c qemu:///system destroy $probe >/dev/null 2>&1 || true
  echo "$result" > "$HANGAR_LAB_DIR/kvm-probe.result"; echo "$probe_key" > "$HANGAR_LAB_DIR/kvm-probe.key"
  log "KVM boot probe: guests use $result"
fi
[ "$virt" = kvm ] && virt=$(cat "$HANGAR_LAB_DIR/kvm-probe.result")
echo "$virt" > "$HANGAR_LAB_DIR/guest-virt-type"
for i in $(seq 1 "$n"); do
  name=hangar-test-$i
  state=$(virsh -c qemu:///system domstate "$name" 2>/dev/null || true)
  if [ -n "$state" ] && [ "$state" != "shut off" ]; then continue; fi
  # Keep the UUID of an existing definition (libvirt refuses a redefinition without it).
  uuid=$(virsh -c qemu:///system domuuid "$name" 2>/dev/null | head -1 || true)
  xml=$(mktemp)
  cat > "$xml" <<XML
<domain type='$virt'>
  <name>$name</name>
  ${uuid:+<uuid>$uuid</uuid>}
  <memory unit='MiB'>192</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64'>hvm</type><kernel>$g/vmlinuz</kernel><initrd>$g/initrd.gz</initrd><cmdline>console=tty1 console=ttyS0</cmdline></os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
  <devices>
    <serial type='pty'><log file='$HANGAR_LAB_DIR/logs/$name.serial.log' append='off'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
    <memballoon model='virtio'><stats period='1'/></memballoon>
  </devices>
</domain>
XML
  virsh -c qemu:///system define "$xml" >/dev/null || die "define $name failed"
  rm -f "$xml"
done
log "defined hangar-test-1..$n (type $virt)"
