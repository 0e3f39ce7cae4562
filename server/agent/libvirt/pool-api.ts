// Storage pool procedures (virStoragePool*), one thin function each. Layouts follow
// remote_protocol.x: a pool travels as remote_nonnull_storage_pool (name + uuid).
import type { CallOptions, LibvirtClient } from "./client";
import { Limits, Proc } from "./procedures";
import { readPool, readVol, uuidToBytes, writePool, type PoolRef, type VolumeRef } from "./wire-types";
import type { XdrReader } from "./xdr";

export interface StoragePoolInfo {
  /** StoragePoolState.* */
  state: number;
  /** Bytes. */
  capacity: bigint;
  allocation: bigint;
  available: bigint;
}

/** All pools (ListPoolsFlags.* filter; 0 = every pool). */
export function storagePoolList(client: LibvirtClient, flags = 0, opts?: CallOptions): Promise<PoolRef[]> {
  return client.call(
    Proc.CONNECT_LIST_ALL_STORAGE_POOLS,
    // need_results = 1: we want the pools, not only their count.
    (w) => w.int(1).uint(flags),
    (r) => {
      const pools = r.array(readPool, Limits.STORAGE_POOL_LIST_MAX);
      r.uint(); // ret: the count again
      return pools;
    },
    opts,
  );
}

export function storagePoolLookupByName(client: LibvirtClient, name: string, opts?: CallOptions): Promise<PoolRef> {
  return client.call(Proc.STORAGE_POOL_LOOKUP_BY_NAME, (w) => w.string(name), readPool, opts);
}

export function storagePoolLookupByUuid(client: LibvirtClient, uuid: string, opts?: CallOptions): Promise<PoolRef> {
  return client.call(Proc.STORAGE_POOL_LOOKUP_BY_UUID, (w) => w.fixedOpaque(uuidToBytes(uuid), 16), readPool, opts);
}

/** The pool a volume lives in. */
export function storagePoolLookupByVolume(client: LibvirtClient, vol: VolumeRef, opts?: CallOptions): Promise<PoolRef> {
  return client.call(Proc.STORAGE_POOL_LOOKUP_BY_VOLUME, (w) => w.string(vol.pool).string(vol.name).string(vol.key), readPool, opts);
}

/** Defines a persistent, inactive pool (PoolDefineFlags.VALIDATE checks the XML against the schema). */
export function storagePoolDefineXml(client: LibvirtClient, xml: string, flags = 0, opts?: CallOptions): Promise<PoolRef> {
  return client.call(Proc.STORAGE_POOL_DEFINE_XML, (w) => w.string(xml).uint(flags), readPool, opts);
}

/** Prepares the pool's backing (for a dir pool: creates the directory). PoolBuildFlags.* */
export function storagePoolBuild(client: LibvirtClient, pool: PoolRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.STORAGE_POOL_BUILD, (w) => poolFlags(w, pool, flags), undefined, opts);
}

/** Starts (activates) a defined pool. PoolCreateFlags.WITH_BUILD builds it first. */
export function storagePoolCreate(client: LibvirtClient, pool: PoolRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.STORAGE_POOL_CREATE, (w) => poolFlags(w, pool, flags), undefined, opts);
}

/** Stops a pool; its volumes and data stay. */
export function storagePoolDestroy(client: LibvirtClient, pool: PoolRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.STORAGE_POOL_DESTROY, (w) => writePool(w, pool), undefined, opts);
}

/** Removes the pool's backing (for a dir pool: rmdir, so it must be empty); the pool must be inactive. */
export function storagePoolDelete(client: LibvirtClient, pool: PoolRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.STORAGE_POOL_DELETE, (w) => poolFlags(w, pool, flags), undefined, opts);
}

/** Forgets an inactive pool's definition; the directory and files stay. */
export function storagePoolUndefine(client: LibvirtClient, pool: PoolRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.STORAGE_POOL_UNDEFINE, (w) => writePool(w, pool), undefined, opts);
}

/** Rescans the pool: files added behind libvirt's back become volumes, sizes are re-read. */
export function storagePoolRefresh(client: LibvirtClient, pool: PoolRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.STORAGE_POOL_REFRESH, (w) => poolFlags(w, pool, 0), undefined, opts);
}

export function storagePoolGetInfo(client: LibvirtClient, pool: PoolRef, opts?: CallOptions): Promise<StoragePoolInfo> {
  return client.call(
    Proc.STORAGE_POOL_GET_INFO,
    (w) => writePool(w, pool),
    // u_char state travels as a full 4-byte XDR unsigned int.
    (r) => ({ state: r.uint(), capacity: r.uhyper(), allocation: r.uhyper(), available: r.uhyper() }),
    opts,
  );
}

/** StorageXmlFlags.INACTIVE gives the definition to use at the next start. */
export function storagePoolGetXmlDesc(client: LibvirtClient, pool: PoolRef, flags = 0, opts?: CallOptions): Promise<string> {
  return client.call(
    Proc.STORAGE_POOL_GET_XML_DESC,
    (w) => poolFlags(w, pool, flags),
    (r) => r.string(),
    opts,
  );
}

export function storagePoolGetAutostart(client: LibvirtClient, pool: PoolRef, opts?: CallOptions): Promise<boolean> {
  return client.call(Proc.STORAGE_POOL_GET_AUTOSTART, (w) => writePool(w, pool), readBool, opts);
}

export function storagePoolSetAutostart(client: LibvirtClient, pool: PoolRef, autostart: boolean, opts?: CallOptions): Promise<void> {
  return client.call(
    Proc.STORAGE_POOL_SET_AUTOSTART,
    (w) => {
      writePool(w, pool);
      w.int(autostart ? 1 : 0);
    },
    undefined,
    opts,
  );
}

export function storagePoolIsActive(client: LibvirtClient, pool: PoolRef, opts?: CallOptions): Promise<boolean> {
  return client.call(Proc.STORAGE_POOL_IS_ACTIVE, (w) => writePool(w, pool), readBool, opts);
}

export function storagePoolIsPersistent(client: LibvirtClient, pool: PoolRef, opts?: CallOptions): Promise<boolean> {
  return client.call(Proc.STORAGE_POOL_IS_PERSISTENT, (w) => writePool(w, pool), readBool, opts);
}

/** The volumes of an active pool (an inactive one fails with OPERATION_INVALID). */
export function storageVolList(client: LibvirtClient, pool: PoolRef, opts?: CallOptions): Promise<VolumeRef[]> {
  return client.call(
    Proc.STORAGE_POOL_LIST_ALL_VOLUMES,
    (w) => {
      writePool(w, pool);
      w.int(1).uint(0);
    },
    (r) => {
      const vols = r.array(readVol, Limits.STORAGE_VOL_LIST_MAX);
      r.uint();
      return vols;
    },
    opts,
  );
}

/** Subscribes to PoolEventId.* (for one pool, or all); returns the callbackID. */
export function registerStoragePoolEvent(client: LibvirtClient, eventId: number, pool: PoolRef | null = null, opts?: CallOptions): Promise<number> {
  return client.call(
    Proc.CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY,
    (w) => w.int(eventId).optional(pool, (x, v) => writePool(x, v)),
    (r) => r.int(),
    opts,
  );
}

export function deregisterStoragePoolEvent(client: LibvirtClient, callbackId: number, opts?: CallOptions): Promise<void> {
  return client.call(Proc.CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY, (w) => w.int(callbackId), undefined, opts);
}

function poolFlags(w: Parameters<typeof writePool>[0], pool: PoolRef, flags: number): void {
  writePool(w, pool);
  w.uint(flags);
}

const readBool = (r: XdrReader): boolean => r.int() !== 0;
