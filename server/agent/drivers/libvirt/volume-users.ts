// Which domains use which volumes, from the domains' own XML read over RPC: a disk's
// <source file|dev> names a path, a <source pool volume> names a pool's volume. Both the
// live and the next-boot definition count: a running guest whose config was edited to
// drop a disk still has it open, and a stopped one will open it at its next start.
import { XMLParser } from "fast-xml-parser";
import type { VolumeUser } from "../../../protocol";
import { connectListAllDomains, domainGetXmlDesc, DomainXmlFlags, ErrorCode, LibvirtError, type DomainRef, type LibvirtClient } from "../../libvirt";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", isArray: (name) => name === "disk" });

type Node = Record<string, unknown>;
const one = (v: unknown): Node | undefined => (Array.isArray(v) ? v[0] : v) as Node | undefined;
const str = (v: unknown): string | null => (v === undefined || v === null || v === "" ? null : String(v));

/** Disk references in one domain XML: paths, and "pool/volume" pairs for <disk type='volume'>. */
export function diskReferences(xml: string): { paths: string[]; volumes: string[] } {
  const doc = parser.parse(xml) as Node;
  const devices = one(one(doc.domain)?.devices);
  const disks = (devices?.disk as Node[] | undefined) ?? [];
  const paths: string[] = [];
  const volumes: string[] = [];
  for (const d of disks) {
    const src = one(d.source);
    if (!src) continue;
    const p = str(src["@file"]) ?? str(src["@dev"]);
    if (p) paths.push(p);
    const pool = str(src["@pool"]);
    const vol = str(src["@volume"]);
    if (pool && vol) volumes.push(`${pool}/${vol}`);
  }
  return { paths, volumes };
}

export interface VolumeUsers {
  /** The domains referencing this volume (by path, or by pool and name), sorted by name. */
  of(pool: string, name: string, path: string): VolumeUser[];
  /** Those of them that are running (QEMU holds the file open and locked). */
  runningOf(pool: string, name: string, path: string): VolumeUser[];
}

/** Reads every domain's XML once (live, plus the next-boot one for running domains). */
export async function readVolumeUsers(c: LibvirtClient): Promise<VolumeUsers> {
  const byKey = new Map<string, Map<string, VolumeUser>>();
  const running = new Set<string>();
  const add = (key: string, d: DomainRef) => {
    let m = byKey.get(key);
    if (!m) byKey.set(key, (m = new Map()));
    m.set(d.uuid, { name: d.name, uuid: d.uuid });
  };
  const domains = await connectListAllDomains(c);
  for (const d of domains) if (d.id !== -1) running.add(d.uuid);
  await Promise.all(
    domains.map(async (d) => {
      // id -1: inactive, its only XML is the persistent one. A domain undefined meanwhile uses nothing.
      const flags = d.id === -1 ? [0] : [0, DomainXmlFlags.INACTIVE];
      for (const f of flags) {
        const xml = await domainGetXmlDesc(c, d, f).catch((err: unknown) => {
          if (err instanceof LibvirtError && (err.code === ErrorCode.NO_DOMAIN || err.code === ErrorCode.OPERATION_INVALID)) return null;
          throw err;
        });
        if (!xml) continue;
        const refs = diskReferences(xml);
        for (const p of refs.paths) add(`path:${p}`, d);
        for (const v of refs.volumes) add(`vol:${v}`, d);
      }
    }),
  );
  const of = (pool: string, name: string, path: string): VolumeUser[] => {
    const m = new Map([...(byKey.get(`path:${path}`) ?? new Map()), ...(byKey.get(`vol:${pool}/${name}`) ?? new Map())]);
    return [...m.values()].sort((a, b) => a.name.localeCompare(b.name));
  };
  return { of, runningOf: (pool, name, path) => of(pool, name, path).filter((u) => running.has(u.uuid)) };
}
