// A new VM's domain XML, built from typed data by fast-xml-parser's builder: every name,
// title, description, path and cmdline is a text or attribute value the builder escapes,
// never pasted into a string, so '<', '&', quotes and emoji stay exactly what was typed.
import { XMLBuilder } from "fast-xml-parser";
import type { NicModel } from "../../../protocol";

/** A disk or CD-ROM as libvirt should open it: a file or block device path, or a pool volume. */
export type DiskSource = { type: "file"; path: string } | { type: "block"; path: string } | { type: "volume"; pool: string; volume: string };

/** Everything the XML needs, already resolved on the host (paths, formats, virt type). */
export interface DomainPlan {
  virtType: "kvm" | "qemu";
  /** libvirt's arch name, e.g. x86_64. */
  arch: string;
  name: string;
  title: string;
  description: string;
  vcpus: number;
  memoryMiB: number;
  firmware: "bios" | "uefi";
  /** Direct kernel boot; null boots from the devices in `bootOrder`. */
  kernel: { kernel: string; initrd: string | null; cmdline: string } | null;
  /** Boot devices in order (libvirt's <boot dev>), ignored with a kernel. */
  bootOrder: ("cdrom" | "hd")[];
  disk: { source: DiskSource; format: "qcow2" | "raw" } | null;
  cdrom: DiskSource | null;
  /** A libvirt virtual network by name and the NIC's emulated model, or no NIC. */
  network: { name: string; model: NicModel } | null;
}

type Node = Record<string, unknown>;

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
});

function source(s: DiskSource): { "@type": string; source: Node } {
  if (s.type === "file") return { "@type": "file", source: { "@file": s.path } };
  if (s.type === "block") return { "@type": "block", source: { "@dev": s.path } };
  return { "@type": "volume", source: { "@pool": s.pool, "@volume": s.volume } };
}

function osNode(p: DomainPlan): Node {
  const os: Node = { type: { "@arch": p.arch, "#text": "hvm" } };
  // libvirt picks OVMF itself from its firmware descriptors (and makes the NVRAM file).
  if (p.firmware === "uefi") os["@firmware"] = "efi";
  if (p.kernel) {
    os.kernel = p.kernel.kernel;
    if (p.kernel.initrd) os.initrd = p.kernel.initrd;
    if (p.kernel.cmdline) os.cmdline = p.kernel.cmdline;
  } else {
    os.boot = p.bootOrder.map((dev) => ({ "@dev": dev }));
  }
  return os;
}

function devices(p: DomainPlan): Node {
  const disks: Node[] = [];
  if (p.disk)
    disks.push({
      "@device": "disk",
      ...source(p.disk.source),
      driver: { "@name": "qemu", "@type": p.disk.format },
      target: { "@dev": "vda", "@bus": "virtio" },
    });
  if (p.cdrom)
    // SATA, not virtio: installers' firmware and kernels find a SATA CD-ROM without drivers.
    disks.push({
      "@device": "cdrom",
      ...source(p.cdrom),
      driver: { "@name": "qemu", "@type": "raw" },
      target: { "@dev": "sda", "@bus": "sata" },
      readonly: "",
    });
  const dev: Node = {};
  if (disks.length) dev.disk = disks;
  if (p.network) dev.interface = { "@type": "network", source: { "@network": p.network.name }, model: { "@type": p.network.model } };
  dev.serial = { "@type": "pty", target: { "@port": "0" } };
  dev.console = { "@type": "pty", target: { "@type": "serial", "@port": "0" } };
  // Loopback only: the console reaches VNC through the agent, never from the network.
  dev.graphics = {
    "@type": "vnc",
    "@port": "-1",
    "@autoport": "yes",
    "@listen": "127.0.0.1",
    listen: { "@type": "address", "@address": "127.0.0.1" },
  };
  dev.video = { model: { "@type": "vga" } };
  // An absolute pointer keeps the VNC cursor where the browser's is.
  dev.input = { "@type": "tablet", "@bus": "usb" };
  dev.memballoon = { "@model": "virtio" };
  dev.rng = { "@model": "virtio", backend: { "@model": "random", "#text": "/dev/urandom" } };
  return dev;
}

/** The persistent definition of a new domain (libvirt adds uuid, MACs, addresses). */
export function buildDomainXml(p: DomainPlan): string {
  const domain: Node = { "@type": p.virtType, name: p.name };
  if (p.title) domain.title = p.title;
  if (p.description) domain.description = p.description;
  domain.memory = { "@unit": "MiB", "#text": String(p.memoryMiB) };
  domain.currentMemory = { "@unit": "MiB", "#text": String(p.memoryMiB) };
  domain.vcpu = { "@placement": "static", "#text": String(p.vcpus) };
  domain.os = osNode(p);
  domain.features = { acpi: "", apic: "" };
  // With KVM the guest sees the host's CPU (fastest, what virt-install does); TCG emulates its default model.
  if (p.virtType === "kvm") domain.cpu = { "@mode": "host-passthrough", "@check": "none" };
  domain.clock = { "@offset": "utc" };
  domain.on_poweroff = "destroy";
  domain.on_reboot = "restart";
  domain.on_crash = "destroy";
  domain.devices = devices(p);
  return builder.build({ domain }) as string;
}

/** A new, empty volume; `allocation` 0 keeps a raw file sparse. */
export function buildVolumeXml(name: string, capacityBytes: number, format: "qcow2" | "raw"): string {
  return builder.build({
    volume: {
      name,
      capacity: { "@unit": "bytes", "#text": String(capacityBytes) },
      allocation: { "@unit": "bytes", "#text": "0" },
      target: { format: { "@type": format } },
    },
  }) as string;
}
