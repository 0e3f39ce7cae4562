// Restoring a backup into a NEW domain: its disks are copied (qemu-img, so the backup stays
// untouched and reusable) into <backups dir>/<new name>.disks/, and its saved XML is defined
// with the new name, no uuid and no MACs (libvirt makes fresh ones) and no NVRAM file.
import fs from "node:fs";
import path from "node:path";
import { ErrorCode, domainCreate, domainDefineXml, domainLookupByName, type DomainRef, type LibvirtClient } from "../../../libvirt";
import { fieldError, isLibvirt } from "../vm-edit/errors";
import { devicesOf, disksOf, nicsOf, targetOf } from "../vm-edit/device-xml";
import { attr, buildTree, child, children, domainNode, el, parseTree, removeChildren, replaceChild, setAttr, txt } from "../vm-edit/xml-tree";
import { DOMAIN_XML, readManifest } from "./backup";
import { convert } from "./qemu-img";

export async function restoreBackup(
  c: LibvirtClient,
  backup: string,
  name: string,
  start: boolean,
  signal: AbortSignal,
  progress: (done: number, total: number) => void,
): Promise<{ dom: DomainRef; volumes: string[] }> {
  const manifest = readManifest(backup);
  const taken = await domainLookupByName(c, name).catch((err: unknown) => {
    if (isLibvirt(err, ErrorCode.NO_DOMAIN)) return null;
    throw err;
  });
  if (taken) throw fieldError("name", `a machine named ${name} already exists`);
  const diskDir = path.join(path.dirname(path.dirname(backup)), `${name}.disks`);
  if (fs.existsSync(diskDir)) throw fieldError("name", `${diskDir} already exists`);

  const tree = parseTree(fs.readFileSync(path.join(backup, DOMAIN_XML), "utf8"));
  const d = domainNode(tree);
  const oldName = manifest.name;
  removeChildren(d, "uuid");
  replaceChild(d, "name", el("name", {}, [txt(name)]));
  for (const nic of nicsOf(d)) removeChildren(nic, "mac");
  const os = child(d, "os");
  if (os) removeChildren(os, "nvram");
  // A serial log of the old machine would be shared (and truncated) by both: renamed or dropped.
  for (const s of [...children(devicesOf(d), "serial"), ...children(devicesOf(d), "console")]) {
    const log = child(s, "log");
    const file = attr(log, "file");
    if (log && file) {
      if (file.includes(oldName)) setAttr(log, "file", file.split(oldName).join(name));
      else removeChildren(s, "log");
    }
  }

  fs.mkdirSync(diskDir, { recursive: true });
  const volumes: string[] = [];
  try {
    const total = manifest.disks.reduce((n, m) => n + fs.statSync(path.join(backup, m.file)).size, 0) || 1;
    let before = 0;
    progress(0, total);
    for (const disk of disksOf(d)) {
      if (attr(disk, "device") !== "disk") continue;
      const m = manifest.disks.find((x) => x.target === targetOf(disk));
      if (!m) continue;
      const src = path.join(backup, m.file);
      const dst = path.join(diskDir, m.file);
      const size = fs.statSync(src).size;
      await convert(src, dst, { shared: false, signal, onPercent: (pct) => progress(before + Math.round((size * pct) / 100), total) });
      before += size;
      volumes.push(dst);
      disk[":@"] = { ...((disk[":@"] as Record<string, string> | undefined) ?? {}), "@type": "file" };
      replaceChild(disk, "source", el("source", { file: dst }));
      const drv = child(disk, "driver");
      if (drv) setAttr(drv, "type", "qcow2");
      else replaceChild(disk, "driver", el("driver", { name: "qemu", type: "qcow2" }));
    }
  } catch (err) {
    fs.rmSync(diskDir, { recursive: true, force: true });
    throw err;
  }
  const dom = await domainDefineXml(c, buildTree(tree)).catch((err: unknown) => {
    fs.rmSync(diskDir, { recursive: true, force: true });
    throw err;
  });
  // Defined is restored: a guest that then fails to start is still there to look at.
  if (start) await domainCreate(c, dom);
  return { dom, volumes };
}
