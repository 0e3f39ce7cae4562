// Device XML for attach/update/detach, built from values (never pasted strings), and the
// lookups the edits need in a domain's definition: disks by target, NICs by MAC.
import { DomainXmlFlags, domainGetXmlDesc, domainIsPersistent, type DomainRef, type LibvirtClient } from "../../../libvirt";
import { attr, child, children, domainNode, el, parseTree, tagOf, type XNode } from "./xml-tree";

export interface Defs {
  /** The persistent definition (what the next boot uses). */
  config: XNode;
  /** The running guest's definition, null while it is off. */
  live: XNode | null;
  active: boolean;
  /** A transient domain has no definition to write: its changes are live only. */
  persistent: boolean;
}

/** Both definitions of a domain; SECURE keeps passwords (VNC) in a definition we write back. */
export async function readDefs(c: LibvirtClient, dom: DomainRef): Promise<Defs> {
  const active = dom.id > 0;
  const [config, live, persistent] = await Promise.all([
    domainGetXmlDesc(c, dom, DomainXmlFlags.INACTIVE | DomainXmlFlags.SECURE),
    active ? domainGetXmlDesc(c, dom, DomainXmlFlags.SECURE) : Promise.resolve(null),
    domainIsPersistent(c, dom),
  ]);
  return { config: domainNode(parseTree(config)), live: live === null ? null : domainNode(parseTree(live)), active, persistent };
}

export const devicesOf = (d: XNode): XNode => child(d, "devices") ?? el("devices");
export const disksOf = (d: XNode): XNode[] => children(devicesOf(d), "disk");
export const nicsOf = (d: XNode): XNode[] => children(devicesOf(d), "interface");
export const targetOf = (disk: XNode): string | null => attr(child(disk, "target"), "dev");
export const macOf = (nic: XNode): string | null => attr(child(nic, "mac"), "address")?.toLowerCase() ?? null;
export function sourceOf(disk: XNode): string | null {
  const s = child(disk, "source");
  return attr(s, "file") ?? attr(s, "dev");
}

export function findDisk(d: XNode, target: string): XNode | undefined {
  return disksOf(d).find((x) => targetOf(x) === target);
}

export function findNic(d: XNode, mac: string): XNode | undefined {
  return nicsOf(d).find((x) => macOf(x) === mac.toLowerCase());
}

/** The first free target for a bus: vdX for virtio, sdX for the others (sata, scsi, usb). */
export function nextTarget(used: Iterable<string>, bus: string): string {
  const taken = new Set(used);
  const prefix = bus === "virtio" ? "vd" : "sd";
  for (let i = 0; i < 26 * 27; i++) {
    const name = i < 26 ? String.fromCharCode(97 + i) : String.fromCharCode(96 + Math.floor(i / 26)) + String.fromCharCode(97 + (i % 26));
    if (!taken.has(prefix + name)) return prefix + name;
  }
  throw new Error(`no free ${prefix} target left`);
}

export function usedTargets(...defs: (XNode | null)[]): string[] {
  return defs.flatMap((d) => (d ? disksOf(d).map(targetOf) : [])).filter((t): t is string => t !== null);
}

export interface DiskSpec {
  device: "disk" | "cdrom";
  /** Null: an empty CD-ROM drive (ejected). */
  path: string | null;
  format: string;
  target: string;
  bus: string;
}

export function diskNode(s: DiskSpec): XNode {
  return el("disk", { type: "file", device: s.device }, [
    el("driver", { name: "qemu", type: s.format }),
    ...(s.path !== null ? [el("source", { file: s.path })] : []),
    el("target", { dev: s.target, bus: s.bus }),
    ...(s.device === "cdrom" ? [el("readonly")] : []),
  ]);
}

export function nicNode(network: string, model: string): XNode {
  return el("interface", { type: "network" }, [el("source", { network }), el("model", { type: model })]);
}

/** A copy of a device node with one direct child replaced (or added). */
export function withChild(n: XNode, next: XNode): XNode {
  const tag = tagOf(n)!;
  const t = tagOf(next)!;
  const list = (n[tag] as XNode[]).filter((c) => tagOf(c) !== t);
  return { ...n, [tag]: [...list, next] };
}

/** A copy of a device node without the children named `drop`. */
export function without(n: XNode, ...drop: string[]): XNode {
  const tag = tagOf(n)!;
  return { ...n, [tag]: (n[tag] as XNode[]).filter((c) => !drop.includes(tagOf(c) ?? "")) };
}
