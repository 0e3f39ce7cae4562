import { describe, expect, it } from "vitest";
import { parseDomainXml } from "./domain-xml";

const XML = `<domain type='qemu' id='3'>
  <name>hangar-test-1</name>
  <uuid>7f1b2c3d-1111-2222-3333-444455556666</uuid>
  <memory unit='KiB'>196608</memory>
  <currentMemory unit='KiB'>131072</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type><kernel>/var/lib/hangar-lab/guest/vmlinuz</kernel></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>
    <interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='default'/><model type='virtio'/></interface>
    <serial type='pty'><source path='/dev/pts/3'/><target type='isa-serial' port='0'/></serial>
    <console type='pty' tty='/dev/pts/3'><source path='/dev/pts/3'/><target type='serial' port='0'/></console>
    <graphics type='vnc' port='5900' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics>
  </devices>
</domain>`;

describe("parseDomainXml", () => {
  it("reads sizes, types and devices", () => {
    const f = parseDomainXml(XML);
    expect(f).toMatchObject({ vcpus: 2, memoryKiB: 131072, maxMemoryKiB: 196608, virtType: "qemu", osType: "hvm" });
    expect(f.disks).toEqual([
      { target: "vda", device: "disk", bus: "virtio", source: "/var/lib/libvirt/images/a.qcow2", format: "qcow2" },
      { target: "hdc", device: "cdrom", bus: "ide", source: null, format: null },
    ]);
    expect(f.nics).toEqual([{ mac: "52:54:00:aa:bb:cc", type: "network", source: "default", model: "virtio" }]);
    expect(f.serials).toEqual([{ type: "pty", path: "/dev/pts/3", target: "0" }]);
    expect(f.graphics).toEqual([{ type: "vnc", port: 5900, listen: "127.0.0.1", socket: null }]);
  });

  it("converts memory units and tolerates a bare domain", () => {
    const f = parseDomainXml("<domain type='kvm'><memory unit='MiB'>512</memory><vcpu>1</vcpu><devices/></domain>");
    expect(f.memoryKiB).toBe(512 * 1024);
    expect(f.graphics).toEqual([]);
    expect(f.virtType).toBe("kvm");
  });

  it("counts the vCPUs online, not the hot-plug maximum", () => {
    expect(parseDomainXml("<domain type='qemu'><memory>1</memory><vcpu placement='static' current='1'>4</vcpu></domain>").vcpus).toBe(1);
    expect(parseDomainXml("<domain type='qemu'><memory>1</memory><vcpu placement='static'>3</vcpu></domain>").vcpus).toBe(3);
  });
});
