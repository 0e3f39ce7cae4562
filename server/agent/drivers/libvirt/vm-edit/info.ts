// What the edit forms show beyond the inventory row: ceilings (max vCPUs, max memory,
// host memory), description, boot order, NIC link states and the volumes behind the disks.
import type { VmEditInfo } from "../../../../protocol";
import {
  DomainXmlFlags,
  ErrorCode,
  VcpuFlags,
  domainGetXmlDesc,
  domainGetVcpusFlags,
  nodeGetInfo,
  storagePoolLookupByVolume,
  storageVolGetInfo,
  storageVolLookupByPath,
  type DomainRef,
  type LibvirtClient,
} from "../../../libvirt";
import { isLibvirt } from "./errors";
import { memKiB } from "./changes";
import { disksOf, macOf, nicsOf, readDefs, sourceOf, targetOf } from "./device-xml";
import { attr, child, children, textOf } from "./xml-tree";

export async function editInfo(c: LibvirtClient, dom: DomainRef): Promise<VmEditInfo> {
  const d = await readDefs(c, dom);
  const now = d.live ?? d.config;
  const [maxVcpus, configVcpus, node, configXml] = await Promise.all([
    domainGetVcpusFlags(c, dom, VcpuFlags.CONFIG | VcpuFlags.MAXIMUM),
    domainGetVcpusFlags(c, dom, VcpuFlags.CONFIG),
    nodeGetInfo(c),
    // Not SECURE: viewers read this too. Saving it keeps the passwords (xml-define.ts).
    domainGetXmlDesc(c, dom, DomainXmlFlags.INACTIVE),
  ]);
  const volumes = await Promise.all(
    disksOf(now)
      .map((k) => ({ path: sourceOf(k), target: targetOf(k) ?? "?", device: attr(k, "device") ?? "disk" }))
      .filter((v): v is { path: string; target: string; device: string } => v.path !== null)
      .map(async (v) => {
        try {
          const vol = await storageVolLookupByPath(c, v.path);
          const [pool, info] = await Promise.all([storagePoolLookupByVolume(c, vol), storageVolGetInfo(c, vol)]);
          return { ...v, pool: pool.name, capacity: Number(info.capacity) };
        } catch (err) {
          // A file no pool manages (or a pool that is stopped): listed, without pool and size.
          if (isLibvirt(err, ErrorCode.NO_STORAGE_VOL) || isLibvirt(err, ErrorCode.NO_STORAGE_POOL)) return { ...v, pool: null, capacity: null };
          throw err;
        }
      }),
  );
  return {
    maxVcpus,
    configVcpus,
    configMemoryMiB: Number(memKiB(child(d.config, "currentMemory") ?? child(d.config, "memory")) / 1024n),
    maxMemoryMiB: Number(memKiB(child(now, "memory")) / 1024n),
    hostMemoryMiB: Number(node.memory / 1024n),
    description: textOf(child(d.config, "description")),
    boot: children(child(d.config, "os"), "boot")
      .map((b) => attr(b, "dev"))
      .filter((b): b is string => b !== null),
    nics: nicsOf(now).map((n) => ({
      mac: macOf(n) ?? "",
      network: attr(child(n, "source"), "network") ?? attr(child(n, "source"), "bridge"),
      model: attr(child(n, "model"), "type"),
      up: attr(child(n, "link"), "state") !== "down",
    })),
    volumes,
    configXml,
  };
}
