// Storage volume procedures (the few Hangar needs so far).
import type { CallOptions, LibvirtClient } from "./client";
import type { XdrReader, XdrWriter } from "./xdr";

/** remote_storage_vol_lookup_by_path / remote_storage_vol_delete (remote_protocol.x). */
const STORAGE_VOL_DELETE = 94;
const STORAGE_VOL_LOOKUP_BY_PATH = 97;

/** remote_nonnull_storage_vol. */
export interface VolumeRef {
  pool: string;
  name: string;
  key: string;
}

const readVol = (r: XdrReader): VolumeRef => ({ pool: r.string(), name: r.string(), key: r.string() });
const writeVol = (w: XdrWriter, v: VolumeRef) => w.string(v.pool).string(v.name).string(v.key);

/** The managed volume backing a file or device path; fails (NO_STORAGE_VOL) when none is. */
export function storageVolLookupByPath(client: LibvirtClient, path: string, opts?: CallOptions): Promise<VolumeRef> {
  return client.call(STORAGE_VOL_LOOKUP_BY_PATH, (w) => w.string(path), readVol, opts);
}

export function storageVolDelete(client: LibvirtClient, vol: VolumeRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(STORAGE_VOL_DELETE, (w) => {
    writeVol(w, vol);
    w.uint(flags);
  }, undefined, opts);
}
