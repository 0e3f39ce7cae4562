// What this host can give a new VM: CPU and memory limits, the domain type that really
// works here, UEFI, pools and their volumes, networks, bootable kernels. Shared by the
// wizard's options and by vm.create's checks, so both judge by the same facts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { VmCreateOptions } from "../../../protocol";
import { kvmStatus } from "../../host-facts";
import {
  connectGetDomainCapabilities,
  networkIsActive,
  networkList,
  nodeGetInfo,
  storagePoolGetInfo,
  storagePoolList,
  storageVolGetInfo,
  storageVolList,
  StoragePoolState,
  type LibvirtClient,
} from "../../libvirt";

export type VirtType = "kvm" | "qemu";

/** libvirt's name for the host's architecture. */
export function libvirtArch(): string {
  const a = os.arch();
  return a === "x64" ? "x86_64" : a === "arm64" ? "aarch64" : a;
}

interface Probe {
  virtType: VirtType;
  uefi: boolean;
}
// Per connection: a new libvirtd (after a reconnect) may have been given OVMF or KVM since.
const probes = new WeakMap<LibvirtClient, Promise<Probe>>();

/**
 * kvm when /dev/kvm opens read-write AND libvirt answers domain capabilities for kvm; else
 * qemu (TCG). HANGAR_VIRT_TYPE overrides both: on some nested hosts KVM opens and answers
 * but a guest hangs in its boot loader, which only a real boot can tell (the lab probes it).
 */
export function probeHost(c: LibvirtClient): Promise<Probe> {
  let p = probes.get(c);
  if (!p) {
    p = runProbe(c);
    probes.set(c, p);
    p.catch(() => probes.delete(c));
  }
  return p;
}

async function runProbe(c: LibvirtClient): Promise<Probe> {
  const forced = process.env.HANGAR_VIRT_TYPE;
  let virtType: VirtType = "qemu";
  let caps: string | null = null;
  if (forced === "kvm" || forced === "qemu") virtType = forced;
  else if (kvmStatus().usable) {
    caps = await connectGetDomainCapabilities(c, { arch: libvirtArch(), virttype: "kvm" }).catch(() => null);
    if (caps) virtType = "kvm";
  }
  caps ??= await connectGetDomainCapabilities(c, { arch: libvirtArch(), virttype: virtType }).catch(() => null);
  return { virtType, uefi: caps !== null && offersEfi(caps) };
}

/** Domain capabilities list <enum name='firmware'><value>efi</value> only when OVMF's descriptors are installed. */
export function offersEfi(domcaps: string): boolean {
  const m = /<enum name=['"]firmware['"]>([\s\S]*?)<\/enum>/.exec(domcaps);
  return m !== null && /<value>efi<\/value>/.test(m[1]!);
}

/** Where direct-boot kernels may come from (HANGAR_KERNEL_DIRS, ':'-separated): never any host file. */
export function kernelDirs(): string[] {
  const raw = process.env.HANGAR_KERNEL_DIRS ?? "/var/lib/libvirt/boot";
  return raw
    .split(":")
    .filter((d) => d.startsWith("/"))
    .map((d) => {
      try {
        return fs.realpathSync(d);
      } catch {
        return null;
      }
    })
    .filter((d): d is string => d !== null);
}

/** The real path of `file` when it is a regular file inside an allowed kernel directory, else null. */
export function allowedBootFile(file: string): string | null {
  let real: string;
  try {
    real = fs.realpathSync(file);
    if (!fs.statSync(real).isFile()) return null;
  } catch {
    return null;
  }
  return kernelDirs().some((d) => real.startsWith(d + path.sep)) ? real : null;
}

function bootFiles(): { kernels: string[]; initrds: string[] } {
  const kernels: string[] = [];
  const initrds: string[] = [];
  for (const dir of kernelDirs()) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const n of names.slice(0, 500)) {
      const full = path.join(dir, n);
      if (/^(vmlinuz|vmlinux|bzImage|kernel)/i.test(n)) kernels.push(full);
      else if (/^(initrd|initramfs)/i.test(n)) initrds.push(full);
    }
  }
  return { kernels, initrds };
}

const num = (b: bigint) => (b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(b));

/** The host's limits in the units a spec uses. */
export async function hostLimits(c: LibvirtClient): Promise<{ cpus: number; memoryMiB: number }> {
  const info = await nodeGetInfo(c);
  return { cpus: info.cpus, memoryMiB: Math.floor(num(info.memory) / 1024) };
}

export async function createOptions(c: LibvirtClient): Promise<VmCreateOptions> {
  const [limits, probe, poolRefs, netRefs] = await Promise.all([hostLimits(c), probeHost(c), storagePoolList(c), networkList(c)]);
  const pools = await Promise.all(
    poolRefs.map(async (p) => {
      const info = await storagePoolGetInfo(c, p).catch(() => null);
      const active = info?.state === StoragePoolState.RUNNING;
      const vols = active ? await storageVolList(c, p).catch(() => []) : [];
      const volumes = await Promise.all(
        vols.slice(0, 16_384).map(async (v) => ({
          name: v.name,
          capacity: num((await storageVolGetInfo(c, v).catch(() => null))?.capacity ?? 0n),
          iso: /\.iso$/i.test(v.name),
        })),
      );
      return { name: p.name, active, available: num(info?.available ?? 0n), volumes: volumes.sort((a, b) => a.name.localeCompare(b.name)) };
    }),
  );
  const networks = await Promise.all(netRefs.map(async (n) => ({ name: n.name, active: await networkIsActive(c, n).catch(() => false) })));
  return {
    ...limits,
    ...probe,
    pools: pools.sort((a, b) => a.name.localeCompare(b.name)),
    networks: networks.sort((a, b) => a.name.localeCompare(b.name)),
    ...bootFiles(),
  };
}
