// A full backup of one domain: every file disk copied with qemu-img convert into
// <dir>/<vm>/<slot>.partial/ with the domain XML beside them, fsynced, then renamed to
// <slot>/ in one step, so a directory under the final name is always a complete backup.
// Any failure (or an abandoned call: the server went away) removes the .partial.
//
// A running domain is paused for the copy and resumed after (QEMU drains and flushes its
// disks on pause): the simplest consistent copy libvirt 9 + QEMU 7.2 give without a
// block-job dance; the guest is frozen for the copy's duration, which the job's schedule
// should account for. A stopped domain is copied directly.
import fs from "node:fs";
import path from "node:path";
import type { BackupResult } from "../../../../protocol";
import { DomainXmlFlags, domainGetXmlDesc, domainResume, domainSuspend, type DomainRef, type LibvirtClient } from "../../../libvirt";
import { DriverError } from "../../driver";
import { disksOf, sourceOf, targetOf } from "../vm-edit/device-xml";
import { attr, domainNode, parseTree } from "../vm-edit/xml-tree";
import { convert } from "./qemu-img";

export const DOMAIN_XML = "domain.xml";
export const MANIFEST = "manifest.json";

export interface Manifest {
  name: string;
  uuid: string;
  slot: string;
  createdAt: string;
  disks: { target: string; file: string; source: string }[];
}

function fsyncPath(p: string): void {
  const fd = fs.openSync(p, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function sizeOf(dir: string): number {
  return fs.readdirSync(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

export async function backupDomain(
  c: LibvirtClient,
  dom: DomainRef,
  dir: string,
  slot: string,
  signal: AbortSignal,
  progress: (done: number, total: number) => void,
): Promise<BackupResult> {
  const xml = await domainGetXmlDesc(c, dom, DomainXmlFlags.INACTIVE | DomainXmlFlags.SECURE);
  const disks = disksOf(domainNode(parseTree(xml)))
    .filter((d) => attr(d, "device") === "disk")
    .map((d) => ({ target: targetOf(d) ?? "disk", source: sourceOf(d), type: attr(d, "type") }))
    .filter((d): d is { target: string; source: string; type: string | null } => d.source !== null);
  for (const d of disks)
    if (d.type !== "file" && d.type !== "block")
      throw new DriverError("invalid_state", `disk ${d.target} is of type ${d.type}: only file and block disks are backed up`);

  const vmDir = path.join(dir, dom.name);
  const final = path.join(vmDir, slot);
  const partial = `${final}.partial`;
  if (fs.existsSync(final)) throw new DriverError("conflict", `a backup already exists at ${final}`);
  fs.mkdirSync(vmDir, { recursive: true });
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial);

  const sizes = disks.map((d) => Math.max(1, fs.statSync(d.source).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  const running = dom.id > 0;
  let paused = false;
  try {
    if (running) {
      await domainSuspend(c, dom);
      paused = true;
    }
    let before = 0;
    const manifest: Manifest = { name: dom.name, uuid: dom.uuid, slot, createdAt: new Date().toISOString(), disks: [] };
    for (const [i, d] of disks.entries()) {
      const file = `${d.target}.qcow2`;
      const size = sizes[i] ?? 1;
      await convert(d.source, path.join(partial, file), {
        shared: running,
        signal,
        onPercent: (pct) => progress(before + Math.round((size * pct) / 100), total),
      });
      before += size;
      manifest.disks.push({ target: d.target, file, source: d.source });
    }
    if (paused) {
      await domainResume(c, dom);
      paused = false;
    }
    fs.writeFileSync(path.join(partial, DOMAIN_XML), xml);
    fs.writeFileSync(path.join(partial, MANIFEST), JSON.stringify(manifest, null, 2));
    for (const f of fs.readdirSync(partial)) fsyncPath(path.join(partial, f));
    fsyncPath(partial);
    if (signal.aborted) throw new DriverError("cancelled", "the backup was abandoned");
    fs.renameSync(partial, final);
    fsyncPath(vmDir);
    progress(total, total);
    return { path: final, size: sizeOf(final), disks: manifest.disks.map((d) => d.target) };
  } catch (err) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw err;
  } finally {
    if (paused) await domainResume(c, dom).catch(() => undefined);
  }
}

/** Removes one finished backup: a directory holding our domain.xml and manifest, nothing else. */
export function deleteBackup(p: string): void {
  if (!fs.existsSync(p)) return;
  if (!fs.existsSync(path.join(p, MANIFEST)) || !fs.existsSync(path.join(p, DOMAIN_XML)))
    throw new DriverError("invalid_input", `path: ${p} is not a Hangar backup (no ${MANIFEST} and ${DOMAIN_XML})`);
  fs.rmSync(p, { recursive: true, force: true });
}

export function readManifest(p: string): Manifest {
  try {
    return JSON.parse(fs.readFileSync(path.join(p, MANIFEST), "utf8")) as Manifest;
  } catch {
    throw new DriverError("not_found", `path: ${p} is not a Hangar backup (no readable ${MANIFEST})`);
  }
}
