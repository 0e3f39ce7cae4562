// Volumes of a pool over libvirt's RPC (never virsh, never qemu-img: libvirt has a call for
// each of these): list with "used by", create, grow, clone, delete. Checks that libvirt
// would not make (pool space, shrinking, a volume in use) are made here, before any change,
// so a refusal leaves nothing half-done.
import { stat } from "node:fs/promises";
import path from "node:path";
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import type { CreateFormat, PoolSummary, VolumeFormat, VolumeSummary } from "../../../protocol";
import { DriverError } from "../driver";
import {
  ErrorCode,
  LibvirtError,
  storagePoolIsActive,
  storagePoolLookupByName,
  storageVolCreateXml,
  storageVolCreateXmlFrom,
  storageVolDelete,
  storageVolGetInfo,
  storageVolGetPath,
  storageVolGetXmlDesc,
  storageVolList,
  storageVolLookupByName,
  storageVolResize,
  type LibvirtClient,
  type PoolRef,
  type VolumeRef,
} from "../../libvirt";
import { poolSummary, wrap } from "./pools";
import { readVolumeUsers, type VolumeUsers } from "./volume-users";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@" });
const bytes = (b: bigint): number => (b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(b));

/** The volume's format as libvirt probed it; an ISO 9660 file libvirt calls raw is still an ISO to an admin. */
export function volumeFormat(xml: string, name: string): VolumeFormat {
  const doc = parser.parse(xml) as { volume?: { target?: { format?: { "@type"?: unknown } } } };
  const t = String(doc.volume?.target?.format?.["@type"] ?? "");
  if (t === "qcow2" || t === "iso") return t;
  if (t === "raw") return /\.iso$/i.test(name) ? "iso" : "raw";
  return "unknown";
}

/**
 * `<volume>` XML from a builder (a name with '<' or '&' stays text). qcow2 gets compat 1.1:
 * libvirt's default is the old v2 format, which cannot grow once it has internal snapshots.
 * Allocation 0: thin (sparse) for both formats, so creating a big volume is instant.
 */
export function volumeXml(name: string, format: CreateFormat, capacity: number): string {
  return builder.build({
    volume: {
      name,
      allocation: 0,
      capacity: { "@unit": "bytes", "#text": String(capacity) },
      target: format === "qcow2" ? { format: { "@type": "qcow2" }, compat: "1.1" } : { format: { "@type": "raw" } },
    },
  }) as string;
}

async function row(c: LibvirtClient, vol: VolumeRef, users: VolumeUsers): Promise<VolumeSummary> {
  const [info, path, xml] = await Promise.all([storageVolGetInfo(c, vol), storageVolGetPath(c, vol), storageVolGetXmlDesc(c, vol)]);
  return {
    name: vol.name,
    path,
    format: volumeFormat(xml, vol.name),
    capacity: bytes(info.capacity),
    allocation: bytes(info.allocation),
    usedBy: users.of(vol.pool, vol.name, path),
  };
}

/** A volume deleted between listing and reading is left out, not an error. */
const gone = (err: unknown): null => {
  if (err instanceof LibvirtError && err.code === ErrorCode.NO_STORAGE_VOL) return null;
  throw err;
};

async function activePool(c: LibvirtClient, name: string): Promise<PoolRef> {
  const pool = await storagePoolLookupByName(c, name);
  // libvirt knows the volumes of running pools only.
  if (!(await storagePoolIsActive(c, pool))) throw new DriverError("invalid_state", `pool ${name} is not running: start it first`);
  return pool;
}

/** A copy runs for as long as the bytes take; the server's task deadline is the real bound. */
const CLONE_TIMEOUT_MS = 6 * 60 * 60_000;

async function lookup(c: LibvirtClient, pool: PoolRef, name: string): Promise<VolumeRef> {
  return storageVolLookupByName(c, pool, name).catch((err: unknown) => {
    if (err instanceof LibvirtError && err.code === ErrorCode.NO_STORAGE_VOL)
      throw new DriverError("not_found", `pool ${pool.name} has no volume named ${name}`);
    throw err;
  });
}

async function taken(c: LibvirtClient, pool: PoolRef, name: string): Promise<boolean> {
  return storageVolLookupByName(c, pool, name).then(
    () => true,
    (err: unknown) => {
      if (err instanceof LibvirtError && err.code === ErrorCode.NO_STORAGE_VOL) return false;
      throw err;
    },
  );
}

/** The pool's row and its volumes, with the domains using each; an inactive pool is invalid_state. */
export function listVolumes(c: LibvirtClient, poolName: string): Promise<{ pool: PoolSummary; volumes: VolumeSummary[] }> {
  return wrap(
    (async () => {
      const pool = await activePool(c, poolName);
      const [summary, refs, users] = await Promise.all([poolSummary(c, pool), storageVolList(c, pool), readVolumeUsers(c)]);
      const rows = await Promise.all(refs.map((v) => row(c, v, users).catch(gone)));
      return { pool: summary, volumes: rows.filter((r): r is VolumeSummary => r !== null).sort((a, b) => a.name.localeCompare(b.name)) };
    })(),
  );
}

const fmt = (n: number) => `${n} bytes (${(n / 1024 ** 3).toFixed(2)} GiB)`;

/** Space check against the pool's free bytes, refused with a message that names `capacity`. */
async function ensureSpace(c: LibvirtClient, pool: PoolRef, need: number, what: string): Promise<void> {
  const p = await poolSummary(c, pool);
  if (need > p.available) throw new DriverError("invalid_input", `capacity: ${what} ${fmt(need)} exceeds the pool's available ${fmt(p.available)}`);
}

export function createVolume(c: LibvirtClient, poolName: string, name: string, format: CreateFormat, capacity: number): Promise<VolumeSummary> {
  return wrap(
    (async () => {
      const pool = await activePool(c, poolName);
      // Thin volumes could overcommit, but a pool that fills up pauses every guest on it:
      // Hangar refuses a volume larger than the pool's free space.
      await ensureSpace(c, pool, capacity, "requested");
      if (await taken(c, pool, name)) throw new DriverError("conflict", `name: pool ${poolName} already has a volume named ${name}`);
      const vol = await storageVolCreateXml(c, pool, volumeXml(name, format, capacity));
      return row(c, vol, await readVolumeUsers(c));
    })(),
  );
}

/** Grows a volume; a smaller (or equal) capacity, or an ISO, is refused before libvirt is asked. */
export function resizeVolume(c: LibvirtClient, poolName: string, name: string, capacity: number): Promise<VolumeSummary> {
  return wrap(
    (async () => {
      const pool = await activePool(c, poolName);
      const vol = await lookup(c, pool, name);
      const users = await readVolumeUsers(c);
      const before = await row(c, vol, users);
      if (before.format === "iso") throw new DriverError("invalid_input", `capacity: ${name} is an ISO image; its size is fixed`);
      // qemu-img cannot resize an image a running QEMU holds locked, and the guest would
      // not see the new size anyway: a live disk grows through the machine (block resize).
      const live = users.runningOf(pool.name, name, before.path);
      if (live.length)
        throw new DriverError(
          "invalid_state",
          `${name} is in use by running machine${live.length === 1 ? "" : "s"} ${live.map((u) => u.name).join(", ")}: grow it from the machine's disk, or shut the machine down first`,
        );
      if (capacity <= before.capacity)
        throw new DriverError(
          "invalid_input",
          `capacity: ${fmt(capacity)} is not larger than the current ${fmt(before.capacity)}; volumes only grow (shrinking would cut off the guest's data)`,
        );
      await storageVolResize(c, vol, BigInt(capacity));
      return row(c, vol, users);
    })(),
  );
}

/**
 * How far a copy is, while libvirt makes it: its file's allocated bytes against the source's
 * (libvirt's call reports nothing until it returns). Only for file pools, whose volumes sit
 * side by side in one directory; elsewhere nothing is reported.
 */
function watchCopy(file: string, of: number, onProgress: (done: number, total: number) => void): () => void {
  const timer = setInterval(() => {
    void stat(file).then(
      (st) => {
        if (st.isFile() && st.blocks > 0) onProgress(Math.min(of, st.blocks * 512), of);
      },
      () => undefined,
    );
  }, 250);
  return () => clearInterval(timer);
}

/**
 * A copy under a new name in the same pool, same format (qcow2 stays compat 1.1), by libvirt
 * itself; `onProgress` gets the copy's bytes so far of the source's allocation.
 */
export function cloneVolume(
  c: LibvirtClient,
  poolName: string,
  name: string,
  newName: string,
  onProgress?: (done: number, total: number) => void,
): Promise<VolumeSummary> {
  return wrap(
    (async () => {
      const pool = await activePool(c, poolName);
      const src = await lookup(c, pool, name);
      const users = await readVolumeUsers(c);
      const s = await row(c, src, users);
      if (await taken(c, pool, newName)) throw new DriverError("conflict", `newName: pool ${poolName} already has a volume named ${newName}`);
      await ensureSpace(c, pool, s.allocation, "the copy's");
      const format: CreateFormat = s.format === "qcow2" ? "qcow2" : "raw";
      const stop = onProgress && s.path.startsWith("/") ? watchCopy(path.join(path.dirname(s.path), newName), s.allocation, onProgress) : null;
      try {
        const clone = await storageVolCreateXmlFrom(c, pool, volumeXml(newName, format, s.capacity), src, 0, { timeoutMs: CLONE_TIMEOUT_MS });
        onProgress?.(s.allocation, s.allocation);
        return row(c, clone, users);
      } finally {
        stop?.();
      }
    })(),
  );
}

/** Deletes a volume; refused while a domain's definition references it, unless `force`. */
export function deleteVolume(c: LibvirtClient, poolName: string, name: string, force: boolean): Promise<void> {
  return wrap(
    (async () => {
      const pool = await activePool(c, poolName);
      const vol = await lookup(c, pool, name);
      if (!force) {
        const path = await storageVolGetPath(c, vol);
        const users = (await readVolumeUsers(c)).of(pool.name, name, path);
        if (users.length)
          throw new DriverError("conflict", `${name} is used by ${users.map((u) => u.name).join(", ")}: detach it first, or delete with force`);
      }
      await storageVolDelete(c, vol);
    })(),
  );
}
