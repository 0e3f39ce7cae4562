// Snapshots of a domain: the tree (each with its parent), create (with the guest's memory
// when it runs), revert and delete. Internal snapshots live in the qcow2 disks.
import { XMLBuilder } from "fast-xml-parser";
import type { SnapshotRow } from "../../../../protocol";
import {
  ErrorCode,
  SnapshotRevertFlags,
  domainSnapshotCreateXml,
  domainSnapshotCurrent,
  domainSnapshotDelete,
  domainSnapshotGetXmlDesc,
  domainSnapshotList,
  domainSnapshotLookupByName,
  domainRevertToSnapshot,
  domainGetXmlDesc,
  type DomainRef,
  type LibvirtClient,
  type SnapshotRef,
} from "../../../libvirt";
import { DriverError } from "../../driver";
import { fieldError, isLibvirt } from "./errors";
import { attr, child, children, domainNode, parseTree, tagOf, textOf, type XNode } from "./xml-tree";

function rowOf(xml: string, current: string | null): SnapshotRow {
  const s = parseTree(xml).find((n) => tagOf(n) === "domainsnapshot") as XNode;
  const name = textOf(child(s, "name"));
  const state = textOf(child(s, "state")) || "nostate";
  const memory = attr(child(s, "memory"), "snapshot");
  const created = Number(textOf(child(s, "creationTime")) || 0);
  return {
    name,
    parent: textOf(child(child(s, "parent"), "name")) || null,
    description: textOf(child(s, "description")),
    createdAt: new Date(created * 1000).toISOString(),
    state,
    // A checkpoint of a running guest holds its memory unless it was made disk-only.
    hasMemory: (state === "running" || state === "paused") && memory !== "no",
    current: name === current,
  };
}

async function currentName(c: LibvirtClient, dom: DomainRef): Promise<string | null> {
  try {
    return (await domainSnapshotCurrent(c, dom)).name;
  } catch (err) {
    if (isLibvirt(err, ErrorCode.NO_DOMAIN_SNAPSHOT)) return null;
    throw err;
  }
}

/** Every snapshot, oldest first; the tree follows from each row's parent. */
export async function listSnapshots(c: LibvirtClient, dom: DomainRef): Promise<SnapshotRow[]> {
  const [refs, current] = await Promise.all([domainSnapshotList(c, dom), currentName(c, dom)]);
  const rows = await Promise.all(refs.map(async (s) => rowOf(await domainSnapshotGetXmlDesc(c, s), current)));
  return rows.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
}

async function lookup(c: LibvirtClient, dom: DomainRef, name: string): Promise<SnapshotRef> {
  try {
    return await domainSnapshotLookupByName(c, dom, name);
  } catch (err) {
    if (isLibvirt(err, ErrorCode.NO_DOMAIN_SNAPSHOT)) throw new DriverError("not_found", `no snapshot ${name} of ${dom.name}`);
    throw err;
  }
}

// libvirt 9.0 + QEMU 7.2 start QEMU for a revert with the boot vCPUs and load the memory
// before plugging the others back: QEMU exits ("Unknown savevm section … cpu_common") and the
// guest is left shut off. Such a snapshot would be a trap, so it is not taken.
const HOTPLUG_REVERT =
  "a memory snapshot taken after a vCPU hot-plug cannot be reverted (QEMU fails to load it and the machine is left off): shut the machine down and start it again with its new vCPU count first";

/** True when the live XML shows a vCPU plugged in after start (enabled and hot-pluggable). */
export function hotPlugged(liveXml: string): boolean {
  const vcpus = child(domainNode(parseTree(liveXml)), "vcpus");
  return children(vcpus, "vcpu").some((v) => attr(v, "enabled") === "yes" && attr(v, "hotpluggable") === "yes");
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", suppressEmptyNode: true });

export async function createSnapshot(
  c: LibvirtClient,
  dom: DomainRef,
  o: { name: string; description: string; memory: boolean },
): Promise<SnapshotRow> {
  const active = dom.id > 0;
  if (o.memory && !active) throw fieldError("memory", "the machine is not running: there is no memory to save");
  const taken = await domainSnapshotLookupByName(c, dom, o.name).catch((err: unknown) => {
    if (isLibvirt(err, ErrorCode.NO_DOMAIN_SNAPSHOT)) return null;
    throw err;
  });
  if (taken) throw fieldError("name", `${dom.name} already has a snapshot named ${o.name}`);
  if (o.memory && active && hotPlugged(await domainGetXmlDesc(c, dom))) throw fieldError("memory", HOTPLUG_REVERT);
  const xml = builder.build({
    domainsnapshot: {
      name: o.name,
      ...(o.description ? { description: o.description } : {}),
      // A running guest without its memory: the disks only, as after a power cut.
      ...(active && !o.memory ? { memory: { "@snapshot": "no" } } : {}),
    },
  }) as string;
  try {
    const snap = await domainSnapshotCreateXml(c, dom, xml);
    return rowOf(await domainSnapshotGetXmlDesc(c, snap), snap.name);
  } catch (err) {
    // libvirt cannot take a disk-only internal snapshot of a running guest (QEMU 7.2).
    if (active && !o.memory && (isLibvirt(err, ErrorCode.CONFIG_UNSUPPORTED) || isLibvirt(err, ErrorCode.OPERATION_UNSUPPORTED)))
      throw fieldError("memory", `${(err as Error).message} (include the memory, or shut the machine down first)`);
    if (isLibvirt(err, ErrorCode.CONFIG_UNSUPPORTED) || isLibvirt(err, ErrorCode.OPERATION_UNSUPPORTED))
      throw new DriverError("invalid_state", (err as Error).message);
    throw err;
  }
}

/**
 * Returns the domain to the snapshot: disks, definition and, for a checkpoint with memory,
 * the running guest. FORCE: the admin confirmed, also when QEMU has to restart (a running
 * domain back to a shut-off snapshot).
 */
export async function revertSnapshot(c: LibvirtClient, dom: DomainRef, name: string): Promise<void> {
  await domainRevertToSnapshot(c, await lookup(c, dom, name), SnapshotRevertFlags.FORCE);
}

/** Deletes one snapshot; its children hang under its parent afterwards. */
export async function deleteSnapshot(c: LibvirtClient, dom: DomainRef, name: string): Promise<void> {
  await domainSnapshotDelete(c, await lookup(c, dom, name));
}
