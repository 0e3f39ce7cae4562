// Storage volume procedures (virStorageVol*), including upload as a libvirt data stream.
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { CallOptions, LibvirtClient } from "./client";
import { Proc } from "./procedures";
import { openStream, type LibvirtStream, type LibvirtStreamOptions } from "./stream";
import { readVol, writePool, writeVol, type PoolRef, type VolumeRef } from "./wire-types";

export interface StorageVolInfo {
  /** StorageVolType.* */
  type: number;
  /** Bytes the guest sees (a qcow2's virtual size). */
  capacity: bigint;
  /** Bytes used on the host (with VolInfoFlags.PHYSICAL: the file's size). */
  allocation: bigint;
}

export function storageVolLookupByName(client: LibvirtClient, pool: PoolRef, name: string, opts?: CallOptions): Promise<VolumeRef> {
  return client.call(
    Proc.STORAGE_VOL_LOOKUP_BY_NAME,
    (w) => {
      writePool(w, pool);
      w.string(name);
    },
    readVol,
    opts,
  );
}

/** The managed volume backing a file or device path; fails (NO_STORAGE_VOL) when none is. */
export function storageVolLookupByPath(client: LibvirtClient, path: string, opts?: CallOptions): Promise<VolumeRef> {
  return client.call(Proc.STORAGE_VOL_LOOKUP_BY_PATH, (w) => w.string(path), readVol, opts);
}

export function storageVolLookupByKey(client: LibvirtClient, key: string, opts?: CallOptions): Promise<VolumeRef> {
  return client.call(Proc.STORAGE_VOL_LOOKUP_BY_KEY, (w) => w.string(key), readVol, opts);
}

/** Creates a volume from `<volume>` XML (format, capacity…). VolCreateFlags.* */
export function storageVolCreateXml(client: LibvirtClient, pool: PoolRef, xml: string, flags = 0, opts?: CallOptions): Promise<VolumeRef> {
  return client.call(
    Proc.STORAGE_VOL_CREATE_XML,
    (w) => {
      writePool(w, pool);
      w.string(xml).uint(flags);
    },
    readVol,
    opts,
  );
}

/**
 * Clones `source` into a new volume of `pool` described by `xml` (name, and optionally a
 * different format or larger capacity: libvirt converts with qemu-img itself). The call
 * returns when the copy is done, so give big volumes a long timeout.
 */
export function storageVolCreateXmlFrom(
  client: LibvirtClient,
  pool: PoolRef,
  xml: string,
  source: VolumeRef,
  flags = 0,
  opts?: CallOptions,
): Promise<VolumeRef> {
  return client.call(
    Proc.STORAGE_VOL_CREATE_XML_FROM,
    (w) => {
      writePool(w, pool);
      w.string(xml);
      writeVol(w, source);
      w.uint(flags);
    },
    readVol,
    opts,
  );
}

/** Sets the capacity in bytes (VolResizeFlags: DELTA adds, SHRINK allows smaller, ALLOCATE preallocates). */
export function storageVolResize(client: LibvirtClient, vol: VolumeRef, capacity: bigint, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(
    Proc.STORAGE_VOL_RESIZE,
    (w) => {
      writeVol(w, vol);
      w.uhyper(capacity).uint(flags);
    },
    undefined,
    opts,
  );
}

export function storageVolDelete(client: LibvirtClient, vol: VolumeRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(
    Proc.STORAGE_VOL_DELETE,
    (w) => {
      writeVol(w, vol);
      w.uint(flags);
    },
    undefined,
    opts,
  );
}

/** Type, capacity and allocation. VolInfoFlags.PHYSICAL: allocation is the host file's size. */
export function storageVolGetInfo(client: LibvirtClient, vol: VolumeRef, flags = 0, opts?: CallOptions): Promise<StorageVolInfo> {
  // The plain GET_INFO takes no flags; GET_INFO_FLAGS (libvirt ≥ 3.0) does.
  const proc = flags === 0 ? Proc.STORAGE_VOL_GET_INFO : Proc.STORAGE_VOL_GET_INFO_FLAGS;
  return client.call(
    proc,
    (w) => {
      writeVol(w, vol);
      if (flags !== 0) w.uint(flags);
    },
    // `char type` travels as a full 4-byte XDR int.
    (r) => ({ type: r.int(), capacity: r.uhyper(), allocation: r.uhyper() }),
    opts,
  );
}

export function storageVolGetPath(client: LibvirtClient, vol: VolumeRef, opts?: CallOptions): Promise<string> {
  return client.call(
    Proc.STORAGE_VOL_GET_PATH,
    (w) => writeVol(w, vol),
    (r) => r.string(),
    opts,
  );
}

export function storageVolGetXmlDesc(client: LibvirtClient, vol: VolumeRef, flags = 0, opts?: CallOptions): Promise<string> {
  return client.call(
    Proc.STORAGE_VOL_GET_XML_DESC,
    (w) => {
      writeVol(w, vol);
      w.uint(flags);
    },
    (r) => r.string(),
    opts,
  );
}

/**
 * Opens an upload into `vol` from byte `offset` (`length` 0 = to the end of the data
 * sent). Write the bytes, then end(): the stream's 'end' (readable side) fires once
 * libvirt has confirmed that all data is written; a daemon-side failure (disk full, the
 * volume deleted) arrives as 'error' or in `failure`. close() aborts.
 * libvirt writes the bytes as they come: the volume holds a partial image until the
 * upload ends, so uploads belong under a temporary name (issue 13).
 */
export async function storageVolUpload(
  client: LibvirtClient,
  vol: VolumeRef,
  offset = 0n,
  length = 0n,
  flags = 0,
  options: LibvirtStreamOptions = {},
): Promise<LibvirtStream> {
  return openStream(
    client,
    Proc.STORAGE_VOL_UPLOAD,
    (w) => {
      writeVol(w, vol);
      w.uhyper(offset).uhyper(length).uint(flags);
    },
    "upload",
    options,
  );
}

/**
 * Opens a download of `vol` from byte `offset` (`length` 0 = to the end) as a readable
 * libvirt stream: 'data' carries the bytes, 'end' comes once libvirt sent the last one.
 */
export async function storageVolDownload(
  client: LibvirtClient,
  vol: VolumeRef,
  offset = 0n,
  length = 0n,
  flags = 0,
  options: LibvirtStreamOptions = {},
): Promise<LibvirtStream> {
  return openStream(
    client,
    Proc.STORAGE_VOL_DOWNLOAD,
    (w) => {
      writeVol(w, vol);
      w.uhyper(offset).uhyper(length).uint(flags);
    },
    "download",
    options,
  );
}

/**
 * Uploads all of `source` into `vol` and resolves once libvirt confirmed the last byte,
 * with the number of bytes sent. A failure on either side aborts the libvirt stream, so
 * the daemon stops writing.
 */
export async function storageVolUploadFrom(client: LibvirtClient, vol: VolumeRef, source: Readable, offset = 0n, flags = 0): Promise<number> {
  const st = await storageVolUpload(client, vol, offset, 0n, flags);
  let sent = 0;
  source.on("data", (c: Buffer) => (sent += c.length));
  // The daemon's confirmation ends the readable side; without a reader it never would.
  const confirmed = new Promise<void>((resolve, reject) => {
    st.once("end", resolve);
    st.once("error", reject);
    st.once("close", () => (st.failure ? reject(st.failure) : resolve()));
  });
  confirmed.catch(() => undefined);
  st.resume();
  try {
    await pipeline(source, st, { end: true });
    await confirmed;
  } catch (err) {
    await st.close();
    throw st.failure ?? err;
  }
  if (st.failure) throw st.failure;
  return sent;
}
