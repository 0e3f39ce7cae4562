// VmCreateArea over libvirt's RPC: check the spec against the host, then disk volume →
// define → start, undoing every step already done when a later one fails.
import { XMLParser } from "fast-xml-parser";
import type { DomainSummary, VmSpec } from "../../../../protocol";
import type { VmCreateArea } from "../../areas/vm-create-area";
import { DriverError } from "../../driver";
import {
  DefineFlags,
  DomainXmlFlags,
  ErrorCode,
  LibvirtError,
  StoragePoolState,
  StorageVolType,
  UndefineFlags,
  connectListAllDomains,
  domainCreate,
  domainDefineXml,
  domainDestroy,
  domainGetXmlDesc,
  domainLookupByName,
  domainUndefine,
  networkIsActive,
  networkLookupByName,
  storagePoolGetInfo,
  storagePoolLookupByName,
  storagePoolRefresh,
  storageVolCreateXml,
  storageVolDelete,
  storageVolGetInfo,
  storageVolGetPath,
  storageVolGetXmlDesc,
  storageVolLookupByName,
  type DomainRef,
  type LibvirtClient,
  type PoolRef,
  type VolumeRef,
} from "../../../libvirt";
import { buildDomainXml, buildVolumeXml, type DiskSource, type DomainPlan } from "../domain-builder";
import { allowedBootFile, createOptions, hostLimits, libvirtArch, probeHost } from "../vm-host-probe";
import type { LibvirtAreaContext } from "./context";

/** A refusal that names the spec field it is about; the server turns the prefix into `fields`. */
const refuse = (code: "invalid_input" | "conflict" | "not_found" | "invalid_state", field: string, message: string) =>
  new DriverError(code, `${field}: ${message}`);

const isCode = (err: unknown, code: number) => err instanceof LibvirtError && err.code === code;

export function libvirtVmCreate(ctx: LibvirtAreaContext): VmCreateArea {
  return {
    options: () => wrap(createOptions(ctx.need())),
    create: (spec) => wrap(create(ctx, spec)),
  };
}

async function activePool(c: LibvirtClient, field: string, name: string): Promise<PoolRef> {
  const pool = await storagePoolLookupByName(c, name).catch((err: unknown) => {
    if (isCode(err, ErrorCode.NO_STORAGE_POOL)) throw refuse("invalid_input", field, `no storage pool named ${name}`);
    throw err;
  });
  const info = await storagePoolGetInfo(c, pool);
  if (info.state !== StoragePoolState.RUNNING) throw refuse("invalid_state", field, `storage pool ${name} is not active: start it first`);
  return pool;
}

async function volumeSource(c: LibvirtClient, pool: PoolRef, name: string, field: string): Promise<{ vol: VolumeRef; source: DiskSource }> {
  const vol = await storageVolLookupByName(c, pool, name).catch((err: unknown) => {
    if (isCode(err, ErrorCode.NO_STORAGE_VOL)) throw refuse("invalid_input", field, `no volume named ${name} in pool ${pool.name}`);
    throw err;
  });
  const [info, path] = await Promise.all([storageVolGetInfo(c, vol), storageVolGetPath(c, vol)]);
  // A file or a device is opened by path (what the inventory and undefine's disk removal
  // read back); anything else (network volumes) through the pool.
  const source: DiskSource =
    info.type === StorageVolType.FILE
      ? { type: "file", path }
      : info.type === StorageVolType.BLOCK
        ? { type: "block", path }
        : { type: "volume", pool: pool.name, volume: name };
  return { vol, source };
}

const volParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });
async function volumeFormat(c: LibvirtClient, vol: VolumeRef): Promise<"qcow2" | "raw"> {
  const doc = volParser.parse(await storageVolGetXmlDesc(c, vol)) as { volume?: { target?: { format?: { "@type"?: string } } } };
  return doc.volume?.target?.format?.["@type"] === "qcow2" ? "qcow2" : "raw";
}

const domParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (n) => n === "disk" });
/**
 * The machine (if any) that already has this volume as a writable disk: two guests writing
 * one disk corrupt it. Read-only CD-ROMs may be shared. One pipelined XML read per domain.
 */
async function diskUser(c: LibvirtClient, s: DiskSource): Promise<string | null> {
  const doms = await connectListAllDomains(c);
  const xmls = await Promise.all(doms.map((d) => domainGetXmlDesc(c, d, DomainXmlFlags.INACTIVE).catch(() => "")));
  for (const [i, xml] of xmls.entries()) {
    type DiskNode = { "@device"?: string; readonly?: unknown; source?: Record<string, string> };
    const disks = (domParser.parse(xml) as { domain?: { devices?: { disk?: DiskNode[] } } }).domain?.devices?.disk ?? [];
    const same = disks.some((d) => {
      if (d["@device"] === "cdrom" || "readonly" in d) return false;
      const src = d.source ?? {};
      return s.type === "volume" ? src["@pool"] === s.pool && src["@volume"] === s.volume : (src["@file"] ?? src["@dev"]) === s.path;
    });
    if (same) return doms[i]!.name;
  }
  return null;
}

/** A file name for the new disk from the VM's name: plain characters only, never taken. */
async function freeVolumeName(c: LibvirtClient, pool: PoolRef, vmName: string, format: "qcow2" | "raw"): Promise<string> {
  const base =
    vmName
      .replace(/[^A-Za-z0-9._-]+/g, "_")
      .replace(/^[._]+/, "")
      .slice(0, 64) || "vm";
  const ext = format === "qcow2" ? ".qcow2" : ".img";
  for (let i = 1; i < 1000; i++) {
    const name = `${base}${i === 1 ? "" : `-${i}`}${ext}`;
    const taken = await storageVolLookupByName(c, pool, name).then(
      () => true,
      (err: unknown) => {
        if (isCode(err, ErrorCode.NO_STORAGE_VOL)) return false;
        throw err;
      },
    );
    if (!taken) return name;
  }
  throw refuse("conflict", "disk.pool", `no free volume name for ${base}${ext} in pool ${pool.name}`);
}

/** Everything that can be checked without changing the host: after this, only libvirt can still refuse. */
async function plan(c: LibvirtClient, spec: VmSpec) {
  const [limits, probe] = await Promise.all([hostLimits(c), probeHost(c)]);
  if (spec.vcpus > limits.cpus) throw refuse("invalid_input", "vcpus", `at most ${limits.cpus}: the host has ${limits.cpus} CPUs`);
  if (spec.memoryMiB > limits.memoryMiB)
    throw refuse("invalid_input", "memoryMiB", `at most ${limits.memoryMiB} MiB: that is all the memory the host has`);
  if (spec.firmware === "uefi" && !probe.uefi) throw refuse("invalid_input", "firmware", "UEFI firmware (OVMF) is not installed on this host");
  const existing = await domainLookupByName(c, spec.name).catch((err: unknown) => {
    if (isCode(err, ErrorCode.NO_DOMAIN)) return null;
    throw err;
  });
  if (existing) throw refuse("conflict", "name", `a machine named ${spec.name} already exists on this host`);
  if (spec.boot.kind === "disk" && spec.disk.kind === "none") throw refuse("invalid_input", "disk", "booting from disk needs a disk");

  let kernel: DomainPlan["kernel"] = null;
  let cdrom: DiskSource | null = null;
  if (spec.boot.kind === "kernel") {
    const k = allowedBootFile(spec.boot.kernel);
    if (!k) throw refuse("invalid_input", "boot.kernel", "not a file in the agent's kernel directories (HANGAR_KERNEL_DIRS)");
    const i = spec.boot.initrd === null ? null : allowedBootFile(spec.boot.initrd);
    if (spec.boot.initrd !== null && !i)
      throw refuse("invalid_input", "boot.initrd", "not a file in the agent's kernel directories (HANGAR_KERNEL_DIRS)");
    kernel = { kernel: k, initrd: i, cmdline: spec.boot.cmdline };
  } else if (spec.boot.kind === "cdrom") {
    const pool = await activePool(c, "boot.pool", spec.boot.pool);
    cdrom = (await volumeSource(c, pool, spec.boot.volume, "boot.volume")).source;
  }

  let disk: { pool: PoolRef; existing: DomainPlan["disk"] } | null = null;
  if (spec.disk.kind === "new") {
    const pool = await activePool(c, "disk.pool", spec.disk.pool);
    // libvirt's free space is what it saw at its last refresh: ask it to look again.
    await storagePoolRefresh(c, pool).catch(() => undefined);
    const free = (await storagePoolGetInfo(c, pool)).available;
    if (BigInt(spec.disk.sizeBytes) > free)
      throw refuse("invalid_input", "disk.sizeBytes", `pool ${pool.name} has ${free} bytes free, less than the ${spec.disk.sizeBytes} asked for`);
    disk = { pool, existing: null };
  } else if (spec.disk.kind === "existing") {
    const pool = await activePool(c, "disk.pool", spec.disk.pool);
    const { vol, source } = await volumeSource(c, pool, spec.disk.volume, "disk.volume");
    const user = await diskUser(c, source);
    if (user) throw refuse("conflict", "disk.volume", `volume ${spec.disk.volume} is already a disk of machine ${user}`);
    disk = { pool, existing: { source, format: await volumeFormat(c, vol) } };
  }

  if (spec.network.kind === "network") {
    const name = spec.network.name;
    const net = await networkLookupByName(c, name).catch((err: unknown) => {
      if (isCode(err, ErrorCode.NO_NETWORK)) throw refuse("invalid_input", "network.name", `no network named ${name}`);
      throw err;
    });
    if (spec.startNow && !(await networkIsActive(c, net)))
      throw refuse("invalid_state", "network.name", `network ${name} is not active: start it first`);
  }

  const base: DomainPlan = {
    virtType: probe.virtType,
    arch: libvirtArch(),
    name: spec.name,
    title: spec.title,
    description: spec.description,
    vcpus: spec.vcpus,
    memoryMiB: spec.memoryMiB,
    firmware: spec.firmware,
    kernel,
    bootOrder: spec.boot.kind === "cdrom" ? ["cdrom", "hd"] : ["hd"],
    disk: disk?.existing ?? null,
    cdrom,
    network: spec.network.kind === "network" ? { name: spec.network.name, model: spec.network.model ?? "virtio" } : null,
  };
  return { base, newDiskPool: spec.disk.kind === "new" ? disk!.pool : null };
}

async function create(ctx: LibvirtAreaContext, spec: VmSpec): Promise<DomainSummary> {
  const c = ctx.need();
  const { base, newDiskPool } = await plan(c, spec);
  let vol: VolumeRef | null = null;
  let dom: DomainRef | null = null;
  try {
    let domain = base;
    if (newDiskPool && spec.disk.kind === "new") {
      const { format, sizeBytes } = spec.disk;
      const name = await freeVolumeName(c, newDiskPool, spec.name, format);
      vol = await storageVolCreateXml(c, newDiskPool, buildVolumeXml(name, sizeBytes, format)).catch((err: unknown) => {
        throw isCode(err, ErrorCode.STORAGE_VOL_EXIST) ? refuse("conflict", "disk.pool", (err as Error).message) : err;
      });
      const path = await storageVolGetPath(c, vol);
      domain = { ...base, disk: { source: { type: "file", path }, format } };
    }
    dom = await domainDefineXml(c, buildDomainXml(domain), DefineFlags.VALIDATE).catch((err: unknown) => {
      if (isCode(err, ErrorCode.DOM_EXIST)) throw refuse("conflict", "name", (err as Error).message);
      throw err;
    });
    if (spec.startNow)
      await domainCreate(c, dom).catch((err: unknown) => {
        // Only QEMU can tell a kernel it cannot load or memory it cannot get: the spec
        // passed every check, the machine just did not start (and is removed below).
        throw err instanceof LibvirtError
          ? refuse("invalid_state", "startNow", `the machine did not start, so nothing was kept: ${err.message}`)
          : err;
      });
    return await ctx.summary(dom.uuid);
  } catch (err) {
    const left = await rollback(c, dom, vol);
    if (left.length === 0) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new DriverError("libvirt_error", `${message}; and undoing it failed, still present: ${left.join("; ")}`);
  }
}

/** Removes what a failed create made, newest first; returns what could not be removed. */
async function rollback(c: LibvirtClient, dom: DomainRef | null, vol: VolumeRef | null): Promise<string[]> {
  const left: string[] = [];
  if (dom) {
    await domainDestroy(c, dom).catch(() => undefined); // not running: nothing to stop
    await domainUndefine(c, dom, UndefineFlags.NVRAM | UndefineFlags.MANAGED_SAVE).catch((err: unknown) => {
      if (!isCode(err, ErrorCode.NO_DOMAIN)) left.push(`machine ${dom.name} (${(err as Error).message})`);
    });
  }
  if (vol)
    await storageVolDelete(c, vol).catch((err: unknown) => {
      if (!isCode(err, ErrorCode.NO_STORAGE_VOL)) left.push(`volume ${vol.name} (${(err as Error).message})`);
    });
  return left;
}

/** libvirt's refusals as protocol codes, its message kept; our own refusals pass through. */
async function wrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DriverError) throw err;
    if (err instanceof LibvirtError) {
      if (err.code === ErrorCode.XML_ERROR || err.code === ErrorCode.INVALID_ARG || err.code === ErrorCode.CONFIG_UNSUPPORTED)
        throw new DriverError("invalid_input", err.message);
      if (err.code === ErrorCode.OPERATION_INVALID) throw new DriverError("invalid_state", err.message);
      if (err.code === ErrorCode.NO_DOMAIN || err.code === ErrorCode.NO_STORAGE_POOL || err.code === ErrorCode.NO_STORAGE_VOL)
        throw new DriverError("not_found", err.message);
      throw new DriverError("libvirt_error", err.message);
    }
    throw new DriverError("libvirt_unavailable", (err as Error).message);
  }
}
