// ImportArea over libvirt's RPC and qemu-img: the source found through libvirt (so a volume
// outside any pool cannot be named), converted by qemu-img into a hidden temporary file in
// the target pool's directory, then linked under its final name and announced to libvirt
// by a pool refresh. Every failure path removes what this import wrote: temp files, the
// extracted OVA disk and, if it got that far, the final file.
import { randomBytes } from "node:crypto";
import { link, mkdtemp, open, rm, unlink } from "node:fs/promises";
import path from "node:path";
import type { DiskImportParams, DiskImportResult, OvfFacts, SourceFormat } from "../../../../protocol";
import type { ImportArea } from "../../areas/import-area";
import { DriverError } from "../../driver";
import { parsePoolXml } from "../pools";
import {
  ConnectionClosedError,
  ErrorCode,
  LibvirtError,
  storagePoolGetXmlDesc,
  storagePoolIsActive,
  storagePoolLookupByName,
  storagePoolRefresh,
  storageVolDelete,
  storageVolGetInfo,
  storageVolGetPath,
  storageVolLookupByName,
  type LibvirtClient,
  type PoolRef,
  type VolumeRef,
} from "../../../libvirt";
import { detectFormat, HEAD_BYTES } from "../../../import/disk-format";
import { extractEntry, readOva } from "../../../import/ova";
import { convertToQcow2, imageInfo, QemuImgError } from "../../../import/qemu-img";
import type { LibvirtAreaContext } from "./context";

/** Pool types whose volumes are plain files in the pool's target directory. */
const FILE_POOLS = new Set(["dir", "fs", "netfs"]);
/** What every temporary file or directory of an import is called (dot: hidden, and easy to find and sweep). */
export const TEMP_PREFIX = ".hangar-import-";

const bytes = (b: bigint): number => (b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(b));

export function libvirtImport(ctx: LibvirtAreaContext): ImportArea {
  return {
    importDisk: (p, onProgress, signal) => wrap(importDisk(ctx.need(), p, onProgress, signal)),
    discard: (pool, name) => wrap(discard(ctx.need(), pool, name)),
  };
}

async function pool(c: LibvirtClient, name: string, field: string): Promise<PoolRef> {
  try {
    const ref = await storagePoolLookupByName(c, name);
    if (!(await storagePoolIsActive(c, ref))) throw new DriverError("invalid_state", `${field}: pool ${name} is not running; start it first`);
    return ref;
  } catch (err) {
    if (err instanceof LibvirtError && err.code === ErrorCode.NO_STORAGE_POOL)
      throw new DriverError("not_found", `${field}: no storage pool named ${name}`);
    throw err;
  }
}

async function volume(c: LibvirtClient, p: PoolRef, name: string): Promise<VolumeRef | null> {
  return storageVolLookupByName(c, p, name).catch((err: unknown) => {
    if (err instanceof LibvirtError && err.code === ErrorCode.NO_STORAGE_VOL) return null;
    throw err;
  });
}

/** The directory a file-based pool keeps its volumes in. */
async function poolDir(c: LibvirtClient, p: PoolRef, field: string): Promise<string> {
  const { type, path: dir } = parsePoolXml(await storagePoolGetXmlDesc(c, p));
  if (!FILE_POOLS.has(type) || !dir)
    throw new DriverError("invalid_input", `${field}: pool ${p.name} is a ${type} pool; imports go into directory pools`);
  return dir;
}

async function readEnds(file: string): Promise<{ head: Buffer; tail: Buffer; size: number }> {
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(size >= 1024 ? 512 : 0);
    if (tail.length) await fh.read(tail, 0, 512, size - 512);
    return { head, tail, size };
  } finally {
    await fh.close();
  }
}

/**
 * Refuses images that would make qemu-img read files other than the one given: a backing
 * file, or a VMDK descriptor whose extents lie outside its own directory (an uploaded
 * descriptor pointing at /etc/shadow as a flat extent would copy it into a guest's disk).
 */
async function checkSelfContained(file: string, format: string, field: string): Promise<number> {
  const info = await imageInfo(file, format).catch((err: unknown) => {
    if (err instanceof QemuImgError) throw new DriverError("invalid_input", `${field}: qemu-img cannot read it as ${format}: ${err.message}`);
    throw err;
  });
  if (info.backingFile)
    throw new DriverError("invalid_input", `${field}: the image has a backing file (${info.backingFile}); import a standalone image`);
  const dir = path.dirname(path.resolve(file));
  for (const e of info.extents)
    if (path.dirname(path.resolve(dir, e)) !== dir)
      throw new DriverError("invalid_input", `${field}: the VMDK descriptor names an extent outside its directory (${e})`);
  return info.virtualSize;
}

async function importDisk(
  c: LibvirtClient,
  p: DiskImportParams,
  onProgress?: (pct: number) => void,
  signal?: AbortSignal,
): Promise<DiskImportResult> {
  const srcPool = await pool(c, p.sourcePool, "sourcePool");
  const dstPool = await pool(c, p.targetPool, "targetPool");
  const dstDir = await poolDir(c, dstPool, "targetPool");
  const srcVol = await volume(c, srcPool, p.sourceVolume);
  if (!srcVol) throw new DriverError("not_found", `sourceVolume: pool ${p.sourcePool} has no volume named ${p.sourceVolume}`);
  if (await volume(c, dstPool, p.targetName))
    throw new DriverError("conflict", `targetName: pool ${p.targetPool} already has a volume named ${p.targetName}`);
  const srcPath = await storageVolGetPath(c, srcVol);
  const ends = await readEnds(srcPath).catch((err: unknown) => {
    throw new DriverError("invalid_input", `sourceVolume: cannot read ${p.sourceVolume}: ${(err as Error).message}`);
  });
  const found = detectFormat(ends.head, ends.tail, ends.size);
  if (!found.format) throw new DriverError("invalid_input", `sourceVolume: ${p.sourceVolume} is not a disk image Hangar can import: ${found.why}`);
  const sourceFormat: SourceFormat = found.format;

  const temps: string[] = [];
  let final: string | null = null;
  try {
    let input = srcPath;
    let format: SourceFormat = sourceFormat;
    let ovf: OvfFacts | null = null;
    if (sourceFormat === "ova") {
      const ova = await readOva(srcPath);
      ovf = ova.ovf;
      // Only the boot disk becomes the VM's volume; further disks are listed in ovf.disks.
      const work = await mkdtemp(path.join(dstDir, TEMP_PREFIX));
      temps.push(work);
      input = path.join(work, "disk0");
      const entry = ova.diskEntries[0]!;
      await extractEntry(srcPath, entry, input, ova.manifest.get(entry.name.replace(/^(\.\/)+/, "")), "ovf.disks[0].file");
      const e = await readEnds(input);
      const inner = detectFormat(e.head, e.tail, e.size);
      if (!inner.format || inner.format === "ova")
        throw new DriverError(
          "invalid_input",
          `ovf.disks[0].file: ${ovf.disks[0]!.file} is not a disk image Hangar can convert (${inner.format ? "a tar" : inner.why})`,
        );
      format = inner.format;
    }
    await checkSelfContained(input, format, sourceFormat === "ova" ? "ovf.disks[0].file" : "sourceVolume");
    signal?.throwIfAborted();
    const part = path.join(dstDir, `${TEMP_PREFIX}${randomBytes(6).toString("hex")}.qcow2.part`);
    temps.push(part);
    await convertToQcow2(input, format, part, onProgress, signal).catch((err: unknown) => {
      if (err instanceof QemuImgError)
        throw new DriverError("invalid_input", `sourceVolume: qemu-img could not convert it from ${format}: ${err.message}`);
      throw err;
    });
    // A cancel that came as qemu-img finished still wins: nothing goes under the final name.
    signal?.throwIfAborted();
    // link() refuses an existing name where rename() would replace it: a file that appeared
    // under the target name meanwhile (another import, a user's copy) is never overwritten.
    const target = path.join(dstDir, p.targetName);
    await link(part, target).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === "EEXIST")
        throw new DriverError("conflict", `targetName: ${p.targetName} already exists in pool ${p.targetPool}`);
      throw err;
    });
    final = target;
    // libvirt's dir pool lists every entry of the directory, dotfiles and directories too:
    // the temporaries go before the refresh, or they would stay listed as volumes.
    await removeAll(temps.splice(0));
    await storagePoolRefresh(c, dstPool);
    const vol = await storageVolLookupByName(c, dstPool, p.targetName);
    const [volPath, info] = await Promise.all([storageVolGetPath(c, vol), storageVolGetInfo(c, vol)]);
    final = null;
    return { volume: { pool: p.targetPool, name: p.targetName, path: volPath, capacity: bytes(info.capacity), format: "qcow2" }, ovf, sourceFormat };
  } finally {
    await removeAll(temps);
    if (final) {
      await unlink(final).catch(() => undefined);
      await storagePoolRefresh(c, dstPool).catch(() => undefined);
    }
  }
}

async function removeAll(paths: string[]): Promise<void> {
  await Promise.all(paths.map((t) => rm(t, { recursive: true, force: true })));
}

async function discard(c: LibvirtClient, poolName: string, name: string): Promise<void> {
  const ref = await pool(c, poolName, "pool");
  const vol = await volume(c, ref, name);
  if (!vol) throw new DriverError("not_found", `name: pool ${poolName} has no volume named ${name}`);
  await storageVolDelete(c, vol);
}

/** libvirt's refusals become protocol codes with libvirt's own message; anything else unexpected is "internal". */
async function wrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DriverError) throw err;
    if (err instanceof LibvirtError) {
      if (err.code === ErrorCode.NO_STORAGE_POOL || err.code === ErrorCode.NO_STORAGE_VOL) throw new DriverError("not_found", err.message);
      if (err.code === ErrorCode.OPERATION_INVALID) throw new DriverError("invalid_state", err.message);
      throw new DriverError("libvirt_error", err.message);
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOSPC") throw new DriverError("invalid_state", `targetPool: no space left in the pool's directory`);
    if (e.code === "EACCES" || e.code === "EPERM") throw new DriverError("internal", `the agent may not write there: ${e.message}`);
    if (err instanceof ConnectionClosedError) throw new DriverError("libvirt_unavailable", err.message);
    throw new DriverError("internal", (err as Error).message ?? String(err));
  }
}
