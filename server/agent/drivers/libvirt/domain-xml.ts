// Reads what the inventory shows from a domain's XML: devices, sizes, types. The XML is
// the source of truth for consoles too: the server never takes an address from a browser.
import { XMLParser } from "fast-xml-parser";
import type { DomainSummary } from "../../../protocol";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => ["disk", "interface", "graphics", "serial", "console", "vcpu"].includes(name),
});

type Node = Record<string, unknown>;
const attr = (n: unknown, name: string): string | null => {
  const v = (n as Node | undefined)?.[`@${name}`];
  return v === undefined || v === null ? null : String(v);
};
const child = (n: unknown, name: string): Node | undefined => {
  const v = (n as Node | undefined)?.[name];
  return (Array.isArray(v) ? v[0] : v) as Node | undefined;
};
const list = (n: unknown, name: string): Node[] => {
  const v = (n as Node | undefined)?.[name];
  return v === undefined ? [] : ((Array.isArray(v) ? v : [v]) as Node[]);
};
const text = (n: unknown): string | null => {
  if (n === undefined || n === null) return null;
  if (typeof n === "object") return (n as Node)["#text"] === undefined ? null : String((n as Node)["#text"]);
  return String(n);
};

function toKiB(n: unknown): number {
  const value = Number(text(n) ?? 0);
  const unit = (attr(n, "unit") ?? "KiB").toLowerCase();
  const factor: Record<string, number> = {
    b: 1 / 1024,
    bytes: 1 / 1024,
    k: 1,
    kib: 1,
    kb: 1000 / 1024,
    m: 1024,
    mib: 1024,
    mb: 1e6 / 1024,
    g: 1024 ** 2,
    gib: 1024 ** 2,
    gb: 1e9 / 1024,
    t: 1024 ** 3,
    tib: 1024 ** 3,
  };
  return Math.round(value * (factor[unit] ?? 1));
}

export type XmlFacts = Pick<
  DomainSummary,
  "vcpus" | "memoryKiB" | "maxMemoryKiB" | "virtType" | "osType" | "graphics" | "serials" | "disks" | "nics"
>;

export function parseDomainXml(xml: string): XmlFacts {
  const doc = parser.parse(xml) as Node;
  const dom = child(doc, "domain") ?? {};
  const devices = child(dom, "devices") ?? {};
  const vcpu = list(dom, "vcpu")[0];
  return {
    // The vCPUs the domain has (libvirt's nrVirtCpu), not the most it could hot-plug:
    // <vcpu current='1'>4</vcpu> is one vCPU.
    vcpus: Number(attr(vcpu, "current") ?? text(vcpu) ?? 1),
    memoryKiB: toKiB(child(dom, "currentMemory") ?? child(dom, "memory")),
    maxMemoryKiB: toKiB(child(dom, "memory")),
    virtType: attr(dom, "type") ?? "unknown",
    osType: text(child(child(dom, "os"), "type")) ?? "unknown",
    graphics: list(devices, "graphics").map((g) => {
      const listenNode = child(g, "listen");
      const port = attr(g, "port");
      return {
        type: attr(g, "type") ?? "unknown",
        port: port === null ? null : Number(port),
        listen: attr(g, "listen") ?? attr(listenNode, "address"),
        socket: attr(g, "socket") ?? attr(listenNode, "socket"),
      };
    }),
    serials: list(devices, "serial").map((s) => ({
      type: attr(s, "type") ?? "unknown",
      path: attr(s, "tty") ?? attr(child(s, "source"), "path"),
      target: attr(child(s, "target"), "port"),
    })),
    disks: list(devices, "disk").map((d) => {
      const src = child(d, "source");
      return {
        target: attr(child(d, "target"), "dev") ?? "?",
        device: attr(d, "device") ?? "disk",
        bus: attr(child(d, "target"), "bus"),
        source: attr(src, "file") ?? attr(src, "dev") ?? attr(src, "volume") ?? attr(src, "name"),
        format: attr(child(d, "driver"), "type"),
      };
    }),
    nics: list(devices, "interface").map((i) => {
      const src = child(i, "source");
      return {
        mac: attr(child(i, "mac"), "address"),
        type: attr(i, "type") ?? "unknown",
        source: attr(src, "network") ?? attr(src, "bridge") ?? attr(src, "dev"),
        model: attr(child(i, "model"), "type"),
      };
    }),
  };
}
