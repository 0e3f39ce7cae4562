// Storage pools of the host, read over libvirt's RPC (never virsh): the rows pool.list
// answers. Path and type come from the pool's own XML, sizes and state from GetInfo.
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { POOL_STATES, type PoolAction, type PoolSummary } from "../../../protocol";
import { DriverError } from "../driver";
import {
  LibvirtError,
  ErrorCode,
  PoolCreateFlags,
  PoolDefineFlags,
  storagePoolCreate,
  storagePoolDefineXml,
  storagePoolDestroy,
  storagePoolGetAutostart,
  storagePoolLookupByName,
  storagePoolGetInfo,
  storagePoolGetXmlDesc,
  storagePoolIsActive,
  storagePoolIsPersistent,
  storagePoolList,
  storagePoolRefresh,
  storagePoolSetAutostart,
  storagePoolUndefine,
  storageVolList,
  type LibvirtClient,
  type PoolRef,
} from "../../libvirt";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });

/** Type attribute and target path of a pool definition. */
export function parsePoolXml(xml: string): { type: string; path: string | null } {
  const doc = parser.parse(xml) as { pool?: { "@type"?: unknown; target?: { path?: unknown } } };
  const p = doc.pool?.target?.path;
  return { type: String(doc.pool?.["@type"] ?? "unknown"), path: p === undefined || p === null || p === "" ? null : String(p) };
}

// bigint → number: bytes stay exact below 2^53 (8 PiB); a larger pool is clamped, not wrapped.
const bytes = (b: bigint): number => (b > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(b));

export async function poolSummary(c: LibvirtClient, pool: PoolRef): Promise<PoolSummary> {
  const [info, xml, autostart, persistent] = await Promise.all([
    storagePoolGetInfo(c, pool),
    storagePoolGetXmlDesc(c, pool),
    storagePoolGetAutostart(c, pool),
    storagePoolIsPersistent(c, pool),
  ]);
  const state = POOL_STATES[info.state] ?? "inaccessible";
  // Only an active pool can list volumes; a pool stopped between GetInfo and the listing
  // answers OPERATION_INVALID, which means "no count" rather than a failed listing.
  const volumes =
    state === "running"
      ? await storageVolList(c, pool).then(
          (v) => v.length,
          (err: unknown) => {
            if (err instanceof LibvirtError && err.code === ErrorCode.OPERATION_INVALID) return null;
            throw err;
          },
        )
      : null;
  const { type, path } = parsePoolXml(xml);
  return {
    name: pool.name,
    uuid: pool.uuid,
    type,
    state,
    autostart,
    persistent,
    capacity: bytes(info.capacity),
    allocation: bytes(info.allocation),
    available: bytes(info.available),
    path,
    volumes,
  };
}

/** Every pool of the host, by name. A pool undefined while we read it is left out. */
export function listPools(c: LibvirtClient): Promise<PoolSummary[]> {
  return wrap(readPools(c));
}

// The XML comes from a builder, never from pasting strings: a name or path with '<', '&'
// or quotes stays text. (Both are schema-checked already; this is the second fence.)
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@" });
export function dirPoolXml(name: string, path: string): string {
  return builder.build({ pool: { "@type": "dir", name, target: { path } } }) as string;
}

/** Defines a persistent, inactive directory pool; a name already taken is a conflict. */
export async function definePool(c: LibvirtClient, name: string, path: string): Promise<PoolSummary> {
  return wrap(
    (async () => {
      const taken = await storagePoolLookupByName(c, name).catch((err: unknown) => {
        if (err instanceof LibvirtError && err.code === ErrorCode.NO_STORAGE_POOL) return null;
        throw err;
      });
      if (taken) throw new DriverError("conflict", `a storage pool named ${name} already exists`);
      return poolSummary(c, await storagePoolDefineXml(c, dirPoolXml(name, path), PoolDefineFlags.VALIDATE));
    })(),
  );
}

/**
 * start: activates the pool, creating its directory when missing; stop: deactivates it
 * (volumes stay); refresh: rescans it, so files copied into the directory become volumes.
 */
export async function poolAction(c: LibvirtClient, name: string, action: PoolAction): Promise<PoolSummary> {
  return wrap(
    (async () => {
      const pool = await storagePoolLookupByName(c, name);
      if (action === "start") await storagePoolCreate(c, pool, PoolCreateFlags.WITH_BUILD);
      else if (action === "stop") await storagePoolDestroy(c, pool);
      else await storagePoolRefresh(c, pool);
      return poolSummary(c, pool);
    })(),
  );
}

/** Whether libvirt starts the pool with the daemon (a transient pool cannot autostart: libvirt refuses). */
export async function setPoolAutostart(c: LibvirtClient, name: string, enabled: boolean): Promise<PoolSummary> {
  return wrap(
    (async () => {
      const pool = await storagePoolLookupByName(c, name);
      await storagePoolSetAutostart(c, pool, enabled);
      return poolSummary(c, pool);
    })(),
  );
}

/**
 * Forgets a pool's definition; its directory and files stay on disk. Refused (conflict,
 * naming the count) while the pool holds volumes: forgetting them would hide disks that
 * guests may still use. libvirt counts volumes only of an active pool, so an inactive one
 * is started (without building) just to count, and stopped again; one that cannot start
 * (its directory is gone) has nothing to count. An active, empty pool is stopped first:
 * libvirt cannot undefine an active pool, and an admin who asked to remove it wants it gone.
 */
export async function undefinePool(c: LibvirtClient, name: string): Promise<void> {
  return wrap(
    (async () => {
      const pool = await storagePoolLookupByName(c, name);
      const wasActive = await storagePoolIsActive(c, pool);
      let active = wasActive;
      if (!active)
        active = await storagePoolCreate(c, pool).then(
          () => true,
          () => false,
        );
      if (active) {
        const vols = await storageVolList(c, pool);
        if (vols.length > 0) {
          if (!wasActive) await storagePoolDestroy(c, pool);
          throw new DriverError(
            "conflict",
            `pool ${name} still holds ${vols.length} volume${vols.length === 1 ? "" : "s"} (${vols
              .slice(0, 5)
              .map((v) => v.name)
              .join(", ")}${vols.length > 5 ? ", …" : ""}): delete them first`,
          );
        }
        await storagePoolDestroy(c, pool);
      }
      await storagePoolUndefine(c, pool);
    })(),
  );
}

/** libvirt's refusals become protocol codes with libvirt's own message; a dropped connection is "unavailable". */
export async function wrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DriverError) throw err;
    if (err instanceof LibvirtError) {
      if (err.code === ErrorCode.NO_STORAGE_POOL || err.code === ErrorCode.NO_STORAGE_VOL) throw new DriverError("not_found", err.message);
      if (err.code === ErrorCode.STORAGE_VOL_EXIST) throw new DriverError("conflict", err.message);
      if (err.code === ErrorCode.OPERATION_INVALID) throw new DriverError("invalid_state", err.message);
      if (err.code === ErrorCode.XML_ERROR || err.code === ErrorCode.INVALID_ARG) throw new DriverError("invalid_input", err.message);
      throw new DriverError("libvirt_error", err.message);
    }
    throw new DriverError("libvirt_unavailable", (err as Error).message);
  }
}

async function readPools(c: LibvirtClient): Promise<PoolSummary[]> {
  const refs = await storagePoolList(c);
  const rows = await Promise.all(
    refs.map((ref) =>
      poolSummary(c, ref).catch((err: unknown) => {
        if (err instanceof LibvirtError && err.code === ErrorCode.NO_STORAGE_POOL) return null;
        throw err;
      }),
    ),
  );
  return rows.filter((r): r is PoolSummary => r !== null).sort((a, b) => a.name.localeCompare(b.name));
}
