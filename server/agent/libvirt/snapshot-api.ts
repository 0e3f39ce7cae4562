// Domain snapshot procedures (virDomainSnapshot*). A snapshot is named within its domain
// (remote_nonnull_domain_snapshot = name + domain); the tree comes from getParent.
import type { CallOptions, LibvirtClient } from "./client";
import { ErrorCode, Limits, Proc } from "./procedures";
import { readSnapshot, writeDomain, writeSnapshot, type DomainRef, type SnapshotRef } from "./wire-types";
import type { XdrReader, XdrWriter } from "./xdr";

/**
 * Takes a snapshot described by `<domainsnapshot>` XML (name, description; "" lets
 * libvirt pick a name). Of a running domain with internal (qcow2) disks this is a full
 * checkpoint including memory unless SnapshotCreateFlags.DISK_ONLY.
 */
export function domainSnapshotCreateXml(client: LibvirtClient, dom: DomainRef, xml: string, flags = 0, opts?: CallOptions): Promise<SnapshotRef> {
  return client.call(
    Proc.DOMAIN_SNAPSHOT_CREATE_XML,
    (w) => {
      writeDomain(w, dom);
      w.string(xml).uint(flags);
    },
    readSnapshot,
    opts,
  );
}

/** The domain's snapshots (SnapshotListFlags.* filter; 0 = all, ROOTS = the tree's roots). */
export function domainSnapshotList(client: LibvirtClient, dom: DomainRef, flags = 0, opts?: CallOptions): Promise<SnapshotRef[]> {
  return client.call(
    Proc.DOMAIN_LIST_ALL_SNAPSHOTS,
    (w) => {
      writeDomain(w, dom);
      w.int(1).uint(flags);
    },
    readSnapshots,
    opts,
  );
}

/** The snapshot's children (SnapshotListFlags.DESCENDANTS: all below it). */
export function domainSnapshotListChildren(client: LibvirtClient, snap: SnapshotRef, flags = 0, opts?: CallOptions): Promise<SnapshotRef[]> {
  return client.call(
    Proc.DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN,
    (w) => {
      writeSnapshot(w, snap);
      w.int(1).uint(flags);
    },
    readSnapshots,
    opts,
  );
}

export function domainSnapshotLookupByName(client: LibvirtClient, dom: DomainRef, name: string, opts?: CallOptions): Promise<SnapshotRef> {
  return client.call(
    Proc.DOMAIN_SNAPSHOT_LOOKUP_BY_NAME,
    (w) => {
      writeDomain(w, dom);
      w.string(name).uint(0);
    },
    readSnapshot,
    opts,
  );
}

/** The parent snapshot, or null for a root (libvirt answers NO_DOMAIN_SNAPSHOT then). */
export async function domainSnapshotGetParent(client: LibvirtClient, snap: SnapshotRef, opts?: CallOptions): Promise<SnapshotRef | null> {
  try {
    return await client.call(Proc.DOMAIN_SNAPSHOT_GET_PARENT, (w) => snapFlags(w, snap, 0), readSnapshot, opts);
  } catch (err) {
    if ((err as { code?: number }).code === ErrorCode.NO_DOMAIN_SNAPSHOT) return null;
    throw err;
  }
}

export function domainSnapshotGetXmlDesc(client: LibvirtClient, snap: SnapshotRef, flags = 0, opts?: CallOptions): Promise<string> {
  return client.call(
    Proc.DOMAIN_SNAPSHOT_GET_XML_DESC,
    (w) => snapFlags(w, snap, flags),
    (r) => r.string(),
    opts,
  );
}

export function domainHasCurrentSnapshot(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<boolean> {
  return client.call(
    Proc.DOMAIN_HAS_CURRENT_SNAPSHOT,
    (w) => {
      writeDomain(w, dom);
      w.uint(0);
    },
    (r) => r.int() !== 0,
    opts,
  );
}

/** The current snapshot (the one a new snapshot would hang under). */
export function domainSnapshotCurrent(client: LibvirtClient, dom: DomainRef, opts?: CallOptions): Promise<SnapshotRef> {
  return client.call(
    Proc.DOMAIN_SNAPSHOT_CURRENT,
    (w) => {
      writeDomain(w, dom);
      w.uint(0);
    },
    readSnapshot,
    opts,
  );
}

export function domainSnapshotIsCurrent(client: LibvirtClient, snap: SnapshotRef, opts?: CallOptions): Promise<boolean> {
  return client.call(
    Proc.DOMAIN_SNAPSHOT_IS_CURRENT,
    (w) => snapFlags(w, snap, 0),
    (r) => r.int() !== 0,
    opts,
  );
}

/** Returns the domain to the snapshot's disks, definition and (if saved) memory. SnapshotRevertFlags.* */
export function domainRevertToSnapshot(client: LibvirtClient, snap: SnapshotRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_REVERT_TO_SNAPSHOT, (w) => snapFlags(w, snap, flags), undefined, opts);
}

/** Deletes a snapshot; its children are re-parented unless SnapshotDeleteFlags.CHILDREN. */
export function domainSnapshotDelete(client: LibvirtClient, snap: SnapshotRef, flags = 0, opts?: CallOptions): Promise<void> {
  return client.call(Proc.DOMAIN_SNAPSHOT_DELETE, (w) => snapFlags(w, snap, flags), undefined, opts);
}

function readSnapshots(r: XdrReader): SnapshotRef[] {
  const snaps = r.array(readSnapshot, Limits.DOMAIN_SNAPSHOT_LIST_MAX);
  r.int(); // ret: the count again
  return snaps;
}

function snapFlags(w: XdrWriter, snap: SnapshotRef, flags: number): void {
  writeSnapshot(w, snap);
  w.uint(flags);
}
