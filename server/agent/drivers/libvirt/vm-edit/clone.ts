// Cloning a stopped domain with copies of its disks, and deleting a domain with exactly
// the volumes the admin chose.
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import {
  DomainXmlFlags,
  ErrorCode,
  UndefineFlags,
  domainDefineXml,
  domainGetXmlDesc,
  domainLookupByName,
  domainUndefine,
  storagePoolLookupByVolume,
  storageVolCreateXmlFrom,
  storageVolDelete,
  storageVolGetPath,
  storageVolGetXmlDesc,
  storageVolLookupByName,
  storageVolLookupByPath,
  type DomainRef,
  type LibvirtClient,
  type VolumeRef,
} from "../../../libvirt";
import { DriverError } from "../../driver";
import { fieldError, isLibvirt } from "./errors";
import { disksOf, nicsOf, readDefs, sourceOf, targetOf } from "./device-xml";
import { attr, buildTree, child, domainNode, parseTree, removeChildren, replaceChild, el, txt } from "./xml-tree";

const volParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseTagValue: false, parseAttributeValue: false });
const volBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", suppressEmptyNode: true });

/** The clone's volume name: the source's with the old machine name swapped for the new, else prefixed. */
export function derivedVolumeName(volName: string, from: string, to: string, target: string): string {
  if (volName.includes(from)) return volName.replace(from, to);
  const dot = volName.lastIndexOf(".");
  const ext = dot > 0 ? volName.slice(dot) : "";
  return `${to}-${target}${ext}`;
}

/**
 * Defines `name` as a copy of the stopped domain `dom`: new uuid and MACs (libvirt makes
 * them), each disk copied by libvirt (StorageVolCreateXMLFrom) into the same pool. CD-ROM
 * media stay shared. Any failure removes what was made so far.
 */
export async function cloneDomain(c: LibvirtClient, dom: DomainRef, name: string): Promise<{ clone: DomainRef; volumes: string[] }> {
  if (dom.id > 0) throw new DriverError("invalid_state", `${dom.name} is running: shut it down to clone it`);
  const taken = await domainLookupByName(c, name).catch((err: unknown) => {
    if (isLibvirt(err, ErrorCode.NO_DOMAIN)) return null;
    throw err;
  });
  if (taken) throw new DriverError("conflict", `name: a machine named ${name} already exists`);
  const tree = parseTree(await domainGetXmlDesc(c, dom, DomainXmlFlags.INACTIVE | DomainXmlFlags.SECURE));
  const d = domainNode(tree);
  removeChildren(d, "uuid");
  replaceChild(d, "name", el("name", {}, [txt(name)]));
  for (const nic of nicsOf(d)) removeChildren(nic, "mac");
  // A firmware variables file belongs to one machine: libvirt makes a fresh one from the template.
  const os = child(d, "os");
  if (os) removeChildren(os, "nvram");

  const made: VolumeRef[] = [];
  try {
    for (const disk of disksOf(d)) {
      if (attr(disk, "device") !== "disk") continue;
      const path = sourceOf(disk);
      if (!path) continue;
      if (attr(disk, "type") !== "file")
        throw new DriverError("invalid_state", `disk ${targetOf(disk)} is of type ${attr(disk, "type")}: only file disks are cloned`);
      const src = await storageVolLookupByPath(c, path).catch((err: unknown) => {
        throw isLibvirt(err, ErrorCode.NO_STORAGE_VOL)
          ? new DriverError("invalid_state", `disk ${targetOf(disk)} (${path}) is not in a storage pool`)
          : err;
      });
      const pool = await storagePoolLookupByVolume(c, src);
      const newName = derivedVolumeName(src.name, dom.name, name, targetOf(disk) ?? "disk");
      const exists = await storageVolLookupByName(c, pool, newName).catch(() => null);
      if (exists) throw new DriverError("conflict", `name: volume ${newName} already exists in pool ${pool.name}`);
      // The source's own description with a new name, as `virsh vol-clone` does.
      const desc = volParser.parse(await storageVolGetXmlDesc(c, src)) as { volume: Record<string, unknown> & { target?: Record<string, unknown> } };
      const v = desc.volume;
      v.name = newName;
      delete v.key;
      if (v.target) delete v.target.path;
      delete v.allocation;
      const vol = await storageVolCreateXmlFrom(c, pool, volBuilder.build({ volume: v }) as string, src, 0, { timeoutMs: 30 * 60_000 });
      made.push(vol);
      const source = child(disk, "source")!;
      source[":@"] = { ...(source[":@"] as Record<string, string>), "@file": await storageVolGetPath(c, vol) };
    }
    const clone = await domainDefineXml(c, buildTree(tree));
    return { clone, volumes: await Promise.all(made.map((v) => storageVolGetPath(c, v))) };
  } catch (err) {
    for (const v of made) await storageVolDelete(c, v).catch(() => undefined);
    throw err;
  }
}

/**
 * Undefines a shut-off domain and deletes the listed volumes, each of which must be one
 * of its disks: checked before anything is removed, so a bad list changes nothing.
 */
export async function deleteDomain(c: LibvirtClient, dom: DomainRef, volumes: string[]): Promise<string[]> {
  if (dom.id > 0) throw new DriverError("invalid_state", `${dom.name} is running: shut it down to delete it`);
  const d = await readDefs(c, dom);
  const used = new Set(
    disksOf(d.config)
      .map(sourceOf)
      .filter((p): p is string => p !== null),
  );
  const refs: VolumeRef[] = [];
  for (const p of new Set(volumes)) {
    if (!used.has(p)) throw fieldError("volumes", `${p} is not a disk of ${dom.name}`);
    refs.push(
      await storageVolLookupByPath(c, p).catch((err: unknown) => {
        throw isLibvirt(err, ErrorCode.NO_STORAGE_VOL) ? fieldError("volumes", `${p} is not a volume of a storage pool`) : err;
      }),
    );
  }
  await domainUndefine(
    c,
    dom,
    UndefineFlags.MANAGED_SAVE | UndefineFlags.SNAPSHOTS_METADATA | UndefineFlags.NVRAM | UndefineFlags.CHECKPOINTS_METADATA,
  );
  const failures: string[] = [];
  const deleted: string[] = [];
  for (const [i, v] of refs.entries()) {
    try {
      await storageVolDelete(c, v);
      deleted.push([...new Set(volumes)][i]!);
    } catch (err) {
      failures.push(`${v.name} (${(err as Error).message})`);
    }
  }
  if (failures.length) throw new DriverError("libvirt_error", `The machine was removed, but these volumes were not deleted: ${failures.join("; ")}`);
  return deleted;
}
