// The facts Hangar takes from an OVF descriptor (DSP0243): name, vCPUs, memory, NICs,
// firmware and the disks in hardware order. VMware, VirtualBox and ovftool write different
// prefixes for the same namespaces (ovf:, rasd:, vssd:, or a default namespace), so prefixes
// are dropped and elements are matched by local name. Anything Hangar would have to guess
// at (memory that is not a number, a disk that points nowhere) is refused with the field
// named, rather than imported with made-up values.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { OvfDisk, OvfFacts, OvfNic } from "../../protocol";
import { DriverError } from "../drivers/driver";

/** Largest .ovf read: real ones are a few KiB, this leaves room for long annotations. */
export const MAX_OVF_BYTES = 1024 * 1024;

const RESOURCE_CPU = 3;
const RESOURCE_MEMORY = 4;
const RESOURCE_NIC = 10;
const RESOURCE_DISK = 17;

const ARRAYS = new Set(["File", "Disk", "Item", "StorageItem", "EthernetPortItem", "Config", "VirtualSystem", "Firmware"]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  // Keep every value a string: "0x10" or "1e3" must not turn into numbers behind our back.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ARRAYS.has(name),
  processEntities: true,
});

type Node = Record<string, unknown>;

function invalid(field: string, why: string): DriverError {
  return new DriverError("invalid_input", `${field}: ${why}`);
}

function isNode(v: unknown): v is Node {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The text of an element that may also carry attributes ({ "#text": …, "@x": … }). */
function text(v: unknown): string | null {
  if (typeof v === "string") return v.trim();
  if (typeof v === "number") return String(v);
  if (isNode(v) && (typeof v["#text"] === "string" || typeof v["#text"] === "number")) return String(v["#text"]).trim();
  if (isNode(v)) return "";
  return null;
}

function nodes(v: unknown): Node[] {
  return Array.isArray(v) ? v.filter(isNode) : isNode(v) ? [v] : [];
}

function attr(n: Node, name: string): string | null {
  const v = n[`@${name}`];
  return typeof v === "string" ? v.trim() : null;
}

/**
 * Bytes per unit of an OVF allocation unit: DMTF's programmatic units ("byte * 2^20",
 * "byte*1024^2") and the words VirtualBox writes ("MegaBytes"). null when not understood.
 */
export function unitBytes(unit: string): number | null {
  const u = unit.trim();
  const m = /^bytes?(?:\s*\*\s*(\d+)\s*\^\s*(\d+))?$/i.exec(u);
  if (m) {
    if (m[1] === undefined) return 1;
    const v = Number(m[1]) ** Number(m[2]);
    return Number.isSafeInteger(v) ? v : null;
  }
  const words: Record<string, number> = { kilobytes: 2 ** 10, kb: 2 ** 10, megabytes: 2 ** 20, mb: 2 ** 20, gigabytes: 2 ** 30, gb: 2 ** 30 };
  return words[u.toLowerCase()] ?? null;
}

function quantity(item: Node, field: string): number {
  const q = text(item.VirtualQuantity);
  if (q === null || q === "") throw invalid(field, "the item has no VirtualQuantity");
  if (!/^\d+$/.test(q)) throw invalid(field, `VirtualQuantity ${JSON.stringify(q.slice(0, 40))} is not a whole number`);
  const n = Number(q);
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid(field, `VirtualQuantity ${q} is out of range`);
  return n;
}

function memoryMiB(item: Node): number {
  const n = quantity(item, "ovf.memory");
  // DSP0243 leaves the default open; every exporter we know states units, and MiB is what
  // a unit-less memory quantity has meant in practice (VMware's older OVFs).
  const unit = text(item.AllocationUnits) || "byte * 2^20";
  const per = unitBytes(unit);
  if (per === null) throw invalid("ovf.memory", `AllocationUnits ${JSON.stringify(unit.slice(0, 40))} is not a unit Hangar knows`);
  const mib = Math.ceil((n * per) / 2 ** 20);
  if (!Number.isSafeInteger(mib) || mib < 1) throw invalid("ovf.memory", `${n} × ${unit} is out of range`);
  return mib;
}

/** Items in document order: OVF 1.x writes <Item>, 2.x may use StorageItem/EthernetPortItem too. */
function hardwareItems(vhs: Node): Node[] {
  return [...nodes(vhs.Item), ...nodes(vhs.StorageItem), ...nodes(vhs.EthernetPortItem)];
}

function resourceType(item: Node): number | null {
  const t = text(item.ResourceType);
  return t && /^\d+$/.test(t) ? Number(t) : null;
}

/** VMware: <vmw:Config vmw:key="firmware" vmw:value="efi"/>; VirtualBox: <Firmware type="EFI"/> in its vbox:Machine. */
function firmware(vs: Node, vhs: Node): "bios" | "efi" {
  for (const c of nodes(vhs.Config)) if (attr(c, "key") === "firmware" && /^efi$/i.test(attr(c, "value") ?? "")) return "efi";
  const found = (n: unknown, depth: number): boolean => {
    if (depth > 8) return false;
    if (Array.isArray(n)) return n.some((x) => found(x, depth + 1));
    if (!isNode(n)) return false;
    for (const f of nodes(n.Firmware)) if (/^efi/i.test(attr(f, "type") ?? "")) return true;
    return Object.entries(n).some(([k, v]) => !k.startsWith("@") && k !== "Firmware" && found(v, depth + 1));
  };
  return found(vs.Machine, 0) ? "efi" : "bios";
}

/** The disks the hardware attaches, in hardware order, resolved to their files. */
function disks(env: Node, items: Node[]): OvfDisk[] {
  const files = new Map<string, string>();
  for (const f of nodes(isNode(env.References) ? env.References.File : undefined)) {
    const id = attr(f, "id");
    const href = attr(f, "href");
    if (!id || !href) throw invalid("ovf.References", "a File has no id or href");
    files.set(id, href);
  }
  const section = isNode(env.DiskSection) ? env.DiskSection : null;
  const byId = new Map<string, { file: string; capacity: number | null }>();
  for (const d of nodes(section?.Disk)) {
    const id = attr(d, "diskId");
    const ref = attr(d, "fileRef");
    if (!id) throw invalid("ovf.disks", "a Disk has no diskId");
    // A Disk without fileRef is a blank disk to be created empty; Hangar imports files only.
    if (!ref) continue;
    const file = files.get(ref);
    if (file === undefined) throw invalid("ovf.disks", `disk ${id} names file ${ref}, which References does not list`);
    const cap = attr(d, "capacity");
    let capacity: number | null = null;
    if (cap !== null) {
      const per = unitBytes(attr(d, "capacityAllocationUnits") ?? "byte");
      if (!/^\d+$/.test(cap) || per === null) throw invalid("ovf.disks", `disk ${id} has capacity ${JSON.stringify(cap.slice(0, 40))}, not a size`);
      capacity = Number(cap) * per;
      if (!Number.isSafeInteger(capacity)) throw invalid("ovf.disks", `disk ${id} is too large`);
    }
    byId.set(id, { file, capacity });
  }
  const out: OvfDisk[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    if (resourceType(it) !== RESOURCE_DISK) continue;
    const host = text(it.HostResource) ?? "";
    // "ovf:/disk/vmdisk1" (the usual form) or "/disk/vmdisk1"; "ovf:/file/…" names a file directly.
    const m = /^(?:ovf:)?\/(disk|file)\/(.+)$/.exec(host);
    if (!m) continue;
    const [, kind, id] = m as unknown as [string, string, string];
    if (kind === "file") {
      const file = files.get(id);
      if (file === undefined) throw invalid("ovf.disks", `a disk item names file ${id}, which References does not list`);
      out.push({ file, capacity: null });
      continue;
    }
    const d = byId.get(id);
    if (!d) throw invalid("ovf.disks", `a disk item names disk ${id}, which the DiskSection does not define`);
    if (!seen.has(id)) out.push(d);
    seen.add(id);
  }
  // Disks the DiskSection defines that no item attaches still belong to the machine.
  for (const [id, d] of byId) if (!seen.has(id) && !out.some((o) => o.file === d.file)) out.push(d);
  return out;
}

/** Parses an OVF descriptor; throws DriverError invalid_input naming the field (`ovf`, `ovf.memory`…). */
export function parseOvf(xml: string): OvfFacts {
  if (xml.length > MAX_OVF_BYTES) throw invalid("ovf", `the descriptor is larger than ${MAX_OVF_BYTES} bytes`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw invalid("ovf", `not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (err) {
    throw invalid("ovf", `not well-formed XML (${(err as Error).message})`);
  }
  const env = doc.Envelope;
  if (!isNode(env)) throw invalid("ovf", "the document is not an OVF Envelope");
  // A VirtualSystemCollection (a vApp of several machines) is one machine per import: its first.
  const collection = isNode(env.VirtualSystemCollection) ? env.VirtualSystemCollection : null;
  const vs = nodes(env.VirtualSystem)[0] ?? nodes(collection?.VirtualSystem)[0];
  if (!vs) throw invalid("ovf.VirtualSystem", "the Envelope has no VirtualSystem");
  const vhs = nodes(vs.VirtualHardwareSection)[0];
  if (!vhs) throw invalid("ovf.VirtualHardwareSection", "the VirtualSystem has no VirtualHardwareSection");
  const items = hardwareItems(vhs);

  let vcpus: number | null = null;
  let memory: number | null = null;
  const nics: OvfNic[] = [];
  for (const it of items) {
    const t = resourceType(it);
    if (t === RESOURCE_CPU && vcpus === null) {
      vcpus = quantity(it, "ovf.vcpus");
      if (vcpus > 4096) throw invalid("ovf.vcpus", `${vcpus} vCPUs is out of range`);
    } else if (t === RESOURCE_MEMORY && memory === null) memory = memoryMiB(it);
    else if (t === RESOURCE_NIC) nics.push({ network: text(it.Connection) || null, model: text(it.ResourceSubType)?.slice(0, 64) || null });
  }
  const name = (text(vs.Name) || attr(vs, "id") || "").slice(0, 256) || null;
  return { name, vcpus, memoryMiB: memory, nics: nics.slice(0, 64), firmware: firmware(vs, vhs), disks: disks(env, items).slice(0, 64) };
}
