// One change to an existing domain (server/protocol/vm-edit.ts VmChange). A running domain
// gets the change live and in its definition (LIVE|CONFIG) where libvirt allows; when
// libvirt refuses it live (QEMU cannot, the bus cannot hot-plug) it goes to the
// definition only and the answer says "next-boot". A stopped domain's definition is all
// there is: "next-boot" too. A transient domain (no definition) gets it live only: "live".
import type { Applied, VmChange } from "../../../../protocol";
import {
  AffectFlags,
  BlockResizeFlags,
  DomainXmlFlags,
  ErrorCode,
  LibvirtError,
  MemoryFlags,
  MetadataType,
  VcpuFlags,
  domainAttachDeviceFlags,
  domainBlockResize,
  domainDefineXml,
  domainDetachDeviceFlags,
  domainGetVcpusFlags,
  domainGetXmlDesc,
  domainSetAutostart,
  domainSetMemoryFlags,
  domainSetMetadata,
  domainSetVcpusFlags,
  domainUpdateDeviceFlags,
  nodeGetInfo,
  storagePoolLookupByName,
  storageVolCreateXml,
  storageVolDelete,
  storageVolGetInfo,
  storageVolGetPath,
  storageVolGetXmlDesc,
  storageVolLookupByName,
  storageVolLookupByPath,
  storageVolResize,
  type DomainRef,
  type LibvirtClient,
  type VolumeRef,
} from "../../../libvirt";
import { DriverError } from "../../driver";
import { fieldError, isLibvirt, refusedLive } from "./errors";
import {
  devicesOf,
  diskNode,
  disksOf,
  findDisk,
  findNic,
  nextTarget,
  nicNode,
  readDefs,
  sourceOf,
  targetOf,
  usedTargets,
  withChild,
  without,
  type Defs,
} from "./device-xml";
import { attr, buildOne, buildTree, child, domainNode, el, kids, parseTree, removeChildren, tagOf, type XNode } from "./xml-tree";
import { XMLBuilder, XMLParser } from "fast-xml-parser";

const MiB = 1024n;

/**
 * Runs `call` with LIVE|CONFIG on a running domain, falling back to CONFIG alone when
 * libvirt refuses the live part; on a stopped domain CONFIG only.
 */
async function liveOrConfig(
  d: Defs,
  call: (flags: number) => Promise<void>,
  live: number = AffectFlags.LIVE,
  config: number = AffectFlags.CONFIG,
  notLive: (err: unknown) => boolean = refusedLive,
): Promise<Applied> {
  if (!d.active) {
    await call(config);
    return "next-boot";
  }
  if (!d.persistent) {
    await call(live);
    return "live";
  }
  try {
    await call(live | config);
    return "live+config";
  } catch (err) {
    if (!notLive(err)) throw err;
    await call(config);
    return "next-boot";
  }
}

export async function applyChange(c: LibvirtClient, dom: DomainRef, change: VmChange): Promise<{ applied: Applied; cause: string | null }> {
  const d = await readDefs(c, dom);
  switch (change.kind) {
    case "vcpus":
      return { applied: await setVcpus(c, dom, d, change.count), cause: "vcpus" };
    case "memory":
      return { applied: await setMemory(c, dom, d, change.mib), cause: "memory" };
    case "disk.add":
      return { applied: await addDisk(c, dom, d, change), cause: null };
    case "disk.remove": {
      const disk = findDisk(d.config, change.target) ?? (d.live && findDisk(d.live, change.target));
      if (!disk) throw fieldError("target", `no disk ${change.target} on this machine`);
      const xml = buildOne(without(disk, "alias", "address"));
      return { applied: await liveOrConfig(d, (f) => domainDetachDeviceFlags(c, dom, xml, f)), cause: null };
    }
    case "disk.resize":
      return { applied: await resizeDisk(c, dom, d, change.target, change.sizeBytes), cause: "disk.resize" };
    case "cdrom.insert":
    case "cdrom.eject":
      return { applied: await cdrom(c, dom, d, change), cause: null };
    case "nic.add": {
      const xml = buildOne(nicNode(change.network, change.model));
      return { applied: await liveOrConfig(d, (f) => domainAttachDeviceFlags(c, dom, xml, f)), cause: null };
    }
    case "nic.remove": {
      const nic = nicOrFail(d, change.mac);
      const xml = buildOne(without(nic, "alias", "target"));
      return { applied: await liveOrConfig(d, (f) => domainDetachDeviceFlags(c, dom, xml, f)), cause: null };
    }
    case "nic.link":
    case "nic.model": {
      const nic = nicOrFail(d, change.mac);
      const next =
        change.kind === "nic.link"
          ? withChild(nic, el("link", { state: change.up ? "up" : "down" }))
          : withChild(nic, el("model", { type: change.model }));
      const xml = buildOne(next);
      // libvirt sends no event for a link change: the caller pushes the row.
      return { applied: await liveOrConfig(d, (f) => domainUpdateDeviceFlags(c, dom, xml, f)), cause: change.kind };
    }
    case "boot.order":
      if (!d.persistent) throw new DriverError("invalid_state", `${dom.name} is transient: it has no definition to hold a boot order`);
      await setBootOrder(c, change.devices);
      return { applied: "next-boot", cause: "boot.order" };
    case "autostart":
      await domainSetAutostart(c, dom, change.enabled);
      return { applied: "live+config", cause: "autostart" };
    case "description":
      await liveOrConfig(d, (f) => domainSetMetadata(c, dom, MetadataType.DESCRIPTION, change.text === "" ? null : change.text, null, null, f));
      // Metadata, not hardware: in effect at once wherever it was written.
      return { applied: d.persistent ? "live+config" : "live", cause: "description" };
  }

  async function setBootOrder(client: LibvirtClient, devices: string[]): Promise<void> {
    // Only the definition holds the boot order: rewrite it, keeping everything else as
    // libvirt wrote it. Per-device <boot order> cannot be combined with <os><boot>.
    const tree = parseTree(await domainGetXmlDesc(client, dom, DomainXmlFlags.INACTIVE | DomainXmlFlags.SECURE));
    const domain = domainNode(tree);
    const os = child(domain, "os");
    if (!os) throw new DriverError("invalid_state", "the definition has no <os> element");
    if (child(os, "kernel")) throw new DriverError("invalid_state", "this machine boots a kernel directly (<os><kernel>): it has no boot order");
    removeChildren(os, "boot");
    const list = kids(os);
    const at = Math.max(0, list.findIndex((n) => tagOf(n) === "type") + 1);
    list.splice(at, 0, ...devices.map((dev) => el("boot", { dev })));
    for (const dev of kids(devicesOf(domain))) {
      const t = tagOf(dev);
      if (t && dev[t] && Array.isArray(dev[t])) removeChildren(dev, "boot");
    }
    await domainDefineXml(client, buildTree(tree));
  }
}

function nicOrFail(d: Defs, mac: string): XNode {
  const nic = findNic(d.config, mac) ?? (d.live && findNic(d.live, mac));
  if (!nic) throw fieldError("mac", `no network interface ${mac} on this machine`);
  return nic;
}

async function setVcpus(c: LibvirtClient, dom: DomainRef, d: Defs, count: number): Promise<Applied> {
  const max = await domainGetVcpusFlags(c, dom, VcpuFlags.CONFIG | VcpuFlags.MAXIMUM);
  if (count > max) {
    // The ceiling is fixed while QEMU runs: a running machine can hot-plug up to it only.
    if (d.active) throw fieldError("count", `at most ${max} vCPUs while running (the machine's maximum); shut it down to raise the maximum`);
    try {
      await domainSetVcpusFlags(c, dom, count, VcpuFlags.CONFIG | VcpuFlags.MAXIMUM);
    } catch (err) {
      if (isLibvirt(err, ErrorCode.INVALID_ARG) || isLibvirt(err, ErrorCode.CONFIG_UNSUPPORTED)) throw fieldError("count", (err as Error).message);
      throw err;
    }
  }
  try {
    return await liveOrConfig(d, (f) => domainSetVcpusFlags(c, dom, count, f), VcpuFlags.LIVE, VcpuFlags.CONFIG);
  } catch (err) {
    if (isLibvirt(err, ErrorCode.INVALID_ARG)) throw fieldError("count", (err as Error).message);
    throw err;
  }
}

async function setMemory(c: LibvirtClient, dom: DomainRef, d: Defs, mib: number): Promise<Applied> {
  const kib = BigInt(mib) * MiB;
  const host = (await nodeGetInfo(c)).memory; // KiB
  if (kib > host) throw fieldError("mib", `${mib} MiB is more than the host's ${Number(host / MiB)} MiB`);
  if (d.active) {
    const maxKiB = memKiB(child(d.live!, "memory"));
    if (kib > maxKiB)
      throw fieldError("mib", `at most ${Number(maxKiB / MiB)} MiB while running (the memory it was started with); shut it down to raise it`);
    // The balloon target moves live (a guest without a balloon: libvirt refuses, next boot).
    return liveOrConfig(d, (f) => domainSetMemoryFlags(c, dom, kib, f), MemoryFlags.LIVE, MemoryFlags.CONFIG);
  }
  // Off: the machine gets exactly this much, ceiling and current allocation alike.
  await domainSetMemoryFlags(c, dom, kib, MemoryFlags.CONFIG | MemoryFlags.MAXIMUM);
  await domainSetMemoryFlags(c, dom, kib, MemoryFlags.CONFIG);
  return "next-boot";
}

/**
 * A new device the running guest could not take (no controller for its bus: an i440fx
 * machine has no SATA controller, libvirt says INTERNAL_ERROR): any libvirt refusal of
 * the live attach sends it to the definition, where libvirt adds the controller itself.
 */
const attachNotLive = (err: unknown) => err instanceof LibvirtError;

/** A `<memory>` element's size in KiB. */
export function memKiB(n: XNode | undefined): bigint {
  const v = BigInt(
    n
      ? kids(n)
          .map((k) => String(k["#text"] ?? ""))
          .join("")
          .trim() || "0"
      : "0",
  );
  const unit = (attr(n, "unit") ?? "KiB").toLowerCase();
  const f: Record<string, bigint> = {
    b: 0n,
    bytes: 0n,
    k: 1n,
    kib: 1n,
    m: 1024n,
    mib: 1024n,
    g: 1024n ** 2n,
    gib: 1024n ** 2n,
    t: 1024n ** 3n,
    tib: 1024n ** 3n,
  };
  if (unit === "b" || unit === "bytes") return v / 1024n;
  return v * (f[unit] ?? 1n);
}

const volParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });
export async function volumeFormat(c: LibvirtClient, vol: VolumeRef): Promise<string> {
  const doc = volParser.parse(await storageVolGetXmlDesc(c, vol)) as { volume?: { target?: { format?: { "@type"?: string } } } };
  return doc.volume?.target?.format?.["@type"] ?? "raw";
}

const volBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", suppressEmptyNode: true });
/** `<volume>` XML for a new image; qcow2 as compat 1.1 (libvirt's default 0.10 cannot grow once it has snapshots). */
export function newVolumeXml(name: string, sizeBytes: number, format: string): string {
  return volBuilder.build({
    volume: {
      name,
      capacity: { "@unit": "bytes", "#text": String(sizeBytes) },
      target: { format: { "@type": format }, ...(format === "qcow2" ? { compat: "1.1" } : {}) },
    },
  }) as string;
}

async function addDisk(c: LibvirtClient, dom: DomainRef, d: Defs, ch: Extract<VmChange, { kind: "disk.add" }>): Promise<Applied> {
  const pool = await storagePoolLookupByName(c, ch.pool).catch((err: unknown) => {
    throw isLibvirt(err, ErrorCode.NO_STORAGE_POOL) ? fieldError("pool", `no storage pool ${ch.pool}`) : err;
  });
  let vol: VolumeRef;
  let created = false;
  if (ch.new) {
    vol = await storageVolCreateXml(c, pool, newVolumeXml(ch.volume, ch.new.sizeBytes, ch.new.format)).catch((err: unknown) => {
      throw isLibvirt(err, ErrorCode.STORAGE_VOL_EXIST) ? fieldError("volume", `${ch.volume} already exists in ${ch.pool}`) : err;
    });
    created = true;
  } else {
    vol = await storageVolLookupByName(c, pool, ch.volume).catch((err: unknown) => {
      throw isLibvirt(err, ErrorCode.NO_STORAGE_VOL) ? fieldError("volume", `no volume ${ch.volume} in ${ch.pool}`) : err;
    });
  }
  try {
    const path = await storageVolGetPath(c, vol);
    if ([d.config, d.live].some((x) => x && disksOf(x).some((k) => sourceOf(k) === path)))
      throw fieldError("volume", `${ch.volume} is already a disk of this machine`);
    const format = ch.new?.format ?? (await volumeFormat(c, vol));
    const xml = buildOne(diskNode({ device: "disk", path, format, target: nextTarget(usedTargets(d.config, d.live), ch.bus), bus: ch.bus }));
    return await liveOrConfig(d, (f) => domainAttachDeviceFlags(c, dom, xml, f), AffectFlags.LIVE, AffectFlags.CONFIG, attachNotLive);
  } catch (err) {
    // Nothing half-made: a volume created for this disk goes again when it was not attached.
    if (created) await storageVolDelete(c, vol).catch(() => undefined);
    throw err;
  }
}

async function resizeDisk(c: LibvirtClient, dom: DomainRef, d: Defs, target: string, sizeBytes: number): Promise<Applied> {
  const disk = findDisk(d.live ?? d.config, target);
  if (!disk || attr(disk, "device") !== "disk") throw fieldError("target", `no disk ${target} on this machine`);
  const path = sourceOf(disk);
  if (!path) throw fieldError("target", `disk ${target} has no source`);
  const vol = await storageVolLookupByPath(c, path).catch((err: unknown) => {
    throw isLibvirt(err, ErrorCode.NO_STORAGE_VOL) ? fieldError("target", `${path} is not a volume of a storage pool`) : err;
  });
  const { capacity } = await storageVolGetInfo(c, vol);
  // Shrinking cuts off whatever the guest keeps at the end (and qcow2 cannot shrink at all).
  if (BigInt(sizeBytes) < capacity) throw fieldError("sizeBytes", `disks only grow: ${target} is ${capacity} bytes now`);
  if (BigInt(sizeBytes) === capacity) return d.active ? "live+config" : "next-boot";
  if (d.active) {
    // QEMU grows the image and tells the guest; the file is the definition's too.
    await domainBlockResize(c, dom, target, BigInt(sizeBytes), BlockResizeFlags.BYTES);
    return "live+config";
  }
  await storageVolResize(c, vol, BigInt(sizeBytes));
  return "next-boot";
}

async function cdrom(c: LibvirtClient, dom: DomainRef, d: Defs, ch: Extract<VmChange, { kind: "cdrom.insert" | "cdrom.eject" }>): Promise<Applied> {
  const drives = disksOf(d.config).filter((k) => attr(k, "device") === "cdrom");
  const drive = ch.target ? drives.find((k) => targetOf(k) === ch.target) : drives[0];
  if (ch.kind === "cdrom.eject") {
    if (!drive) throw fieldError("target", `no CD-ROM drive ${ch.target} on this machine`);
    const xml = buildOne(without(drive, "source", "alias"));
    return liveOrConfig(d, (f) => domainUpdateDeviceFlags(c, dom, xml, f));
  }
  const pool = await storagePoolLookupByName(c, ch.pool).catch((err: unknown) => {
    throw isLibvirt(err, ErrorCode.NO_STORAGE_POOL) ? fieldError("pool", `no storage pool ${ch.pool}`) : err;
  });
  const vol = await storageVolLookupByName(c, pool, ch.volume).catch((err: unknown) => {
    throw isLibvirt(err, ErrorCode.NO_STORAGE_VOL) ? fieldError("volume", `no volume ${ch.volume} in ${ch.pool}`) : err;
  });
  const path = await storageVolGetPath(c, vol);
  if (!drive) {
    if (ch.target) throw fieldError("target", `no CD-ROM drive ${ch.target} on this machine`);
    // No drive yet: add one with the medium in it (SATA cannot hot-plug: next boot when running).
    const xml = buildOne(diskNode({ device: "cdrom", path, format: "raw", target: nextTarget(usedTargets(d.config, d.live), "sata"), bus: "sata" }));
    return liveOrConfig(d, (f) => domainAttachDeviceFlags(c, dom, xml, f), AffectFlags.LIVE, AffectFlags.CONFIG, attachNotLive);
  }
  const next = withChild(withChild(without(drive, "alias"), el("source", { file: path })), el("driver", { name: "qemu", type: "raw" }));
  return liveOrConfig(d, (f) => domainUpdateDeviceFlags(c, dom, buildOne(next), f));
}
