// The wizard's form state and how it becomes a VmSpec: plain strings while typing (an
// admin may clear a number field), checked and converted only on submit.
import type { NicModel, VmCreateOptions, VmSpecInput } from "@/server/protocol/vm-spec";

export interface FormState {
  name: string;
  title: string;
  description: string;
  vcpus: string;
  memoryMiB: string;
  bootKind: "cdrom" | "kernel" | "disk";
  isoPool: string;
  isoVolume: string;
  kernel: string;
  initrd: string;
  cmdline: string;
  diskKind: "new" | "existing" | "none";
  diskPool: string;
  diskGiB: string;
  diskFormat: "qcow2" | "raw";
  existingPool: string;
  existingVolume: string;
  network: string;
  nicModel: NicModel;
  firmware: "bios" | "uefi";
  startNow: boolean;
}

const GiB = 1024 ** 3;

/** Sensible defaults from what the host has: an ISO if there is one, the first pool with room, the "default" network. */
export function defaults(o: VmCreateOptions): FormState {
  const active = o.pools.filter((p) => p.active);
  const iso = active.flatMap((p) => p.volumes.filter((v) => v.iso).map((v) => ({ pool: p.name, volume: v.name })))[0];
  const roomy = [...active].sort((a, b) => b.available - a.available)[0];
  const net = o.networks.find((n) => n.name === "default" && n.active) ?? o.networks.find((n) => n.active);
  const bootKind = iso ? "cdrom" : o.kernels.length ? "kernel" : "disk";
  return {
    name: "",
    title: "",
    description: "",
    vcpus: String(Math.min(2, o.cpus || 1)),
    memoryMiB: String(Math.min(2048, o.memoryMiB)),
    bootKind,
    isoPool: iso?.pool ?? "",
    isoVolume: iso?.volume ?? "",
    kernel: o.kernels[0] ?? "",
    initrd: o.initrds[0] ?? "",
    cmdline: "console=ttyS0",
    diskKind: roomy ? (bootKind === "disk" ? "existing" : "new") : "none",
    diskPool: roomy?.name ?? "",
    diskGiB: roomy ? String(Math.max(1, Math.min(20, Math.floor(roomy.available / GiB)))) : "20",
    diskFormat: "qcow2",
    existingPool: roomy?.name ?? "",
    existingVolume: "",
    network: net?.name ?? "",
    nicModel: "virtio",
    firmware: "bios",
    startNow: true,
  };
}

const int = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN);

/** What the browser can already tell is wrong: keys of machines.create.validation. */
export type FormErrorKey =
  "nameRequired" | "vcpus" | "memory" | "chooseIso" | "chooseKernel" | "diskSize" | "choosePool" | "chooseVolume" | "diskNeeded";

/** The spec to send, or the fields the browser can already tell are wrong (the server checks everything again). */
export function toSpec(f: FormState): { spec: VmSpecInput | null; errors: Record<string, FormErrorKey> } {
  const errors: Record<string, FormErrorKey> = {};
  if (!f.name.trim()) errors.name = "nameRequired";
  const vcpus = int(f.vcpus);
  if (!(vcpus >= 1)) errors.vcpus = "vcpus";
  const memoryMiB = int(f.memoryMiB);
  if (!(memoryMiB >= 64)) errors.memoryMiB = "memory";
  let boot: VmSpecInput["boot"];
  if (f.bootKind === "cdrom") {
    if (!f.isoVolume) errors["boot.volume"] = "chooseIso";
    boot = { kind: "cdrom", pool: f.isoPool, volume: f.isoVolume };
  } else if (f.bootKind === "kernel") {
    if (!f.kernel) errors["boot.kernel"] = "chooseKernel";
    boot = { kind: "kernel", kernel: f.kernel, initrd: f.initrd || null, cmdline: f.cmdline };
  } else boot = { kind: "disk" };
  let disk: VmSpecInput["disk"] = { kind: "none" };
  if (f.diskKind === "new") {
    const gib = Number(f.diskGiB);
    if (!(gib > 0)) errors["disk.sizeBytes"] = "diskSize";
    if (!f.diskPool) errors["disk.pool"] = "choosePool";
    // Whole MiB, as the server wants.
    disk = { kind: "new", pool: f.diskPool, sizeBytes: Math.max(1, Math.round(gib * 1024)) * 1024 * 1024, format: f.diskFormat };
  } else if (f.diskKind === "existing") {
    if (!f.existingVolume) errors["disk.volume"] = "chooseVolume";
    disk = { kind: "existing", pool: f.existingPool, volume: f.existingVolume };
  }
  if (f.bootKind === "disk" && f.diskKind === "none") errors.disk = "diskNeeded";
  if (Object.keys(errors).length) return { spec: null, errors };
  return {
    spec: {
      name: f.name,
      title: f.title,
      description: f.description,
      vcpus,
      memoryMiB,
      boot,
      disk,
      network: f.network ? { kind: "network", name: f.network, model: f.nicModel } : { kind: "none" },
      firmware: f.firmware,
      startNow: f.startNow,
    },
    errors,
  };
}

/** The detail tab a new machine opens on: its serial console for kernel boots, the screen otherwise. */
export function landingTab(f: FormState): "serial" | "console" | "overview" {
  if (!f.startNow) return "overview";
  return f.bootKind === "kernel" ? "serial" : "console";
}
