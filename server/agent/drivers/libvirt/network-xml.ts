// Network XML both ways: a typed spec becomes XML through fast-xml-parser's builder (never
// string pasting: a value with '<', '&' or quotes stays text), and libvirt's XML becomes
// the row network.list shows.
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import type { NetworkDefineSpec, NetworkMode } from "../../../protocol";

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@" });
// ip/range may repeat (IPv4 and IPv6, several ranges): always arrays, so one shape to read.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => name === "ip" || name === "range",
});

export function networkXml(spec: NetworkDefineSpec): string {
  if (spec.mode === "bridge") {
    return builder.build({ network: { name: spec.name, forward: { "@mode": "bridge" }, bridge: { "@name": spec.bridge } } }) as string;
  }
  const dhcp = spec.dhcpStart && spec.dhcpEnd ? { dhcp: { range: { "@start": spec.dhcpStart, "@end": spec.dhcpEnd } } } : {};
  return builder.build({
    network: {
      name: spec.name,
      // No <forward>: libvirt's isolated network (guests and host only). No <bridge>: libvirt picks a free virbrN.
      ...(spec.mode === "nat" ? { forward: { "@mode": "nat" } } : {}),
      ip: { "@address": spec.address, "@prefix": String(spec.prefix), ...dhcp },
    },
  }) as string;
}

export interface ParsedNetwork {
  mode: NetworkMode;
  bridge: string | null;
  ipv4: { address: string; prefix: number } | null;
  dhcp: { start: string; end: string } | null;
}

interface IpEl {
  "@family"?: string;
  "@address"?: string;
  "@prefix"?: string | number;
  "@netmask"?: string;
  dhcp?: { range?: { "@start"?: string; "@end"?: string }[] };
}
interface NetEl {
  forward?: { "@mode"?: string } | string;
  bridge?: { "@name"?: string };
  ip?: IpEl[];
}

/** 255.255.255.0 → 24 (libvirt accepts netmask or prefix; both are shown as a prefix). */
function maskToPrefix(mask: string): number {
  return mask
    .split(".")
    .map((p) => Number(p).toString(2).replace(/0/g, "").length)
    .reduce((a, b) => a + b, 0);
}

export function parseNetworkXml(xml: string): ParsedNetwork {
  const net = ((parser.parse(xml) as { network?: NetEl }).network ?? {}) as NetEl;
  // <forward/> without a mode means nat (libvirt's default); no <forward> at all means isolated.
  const fwd = net.forward === undefined ? null : typeof net.forward === "object" ? (net.forward["@mode"] ?? "nat") : "nat";
  const mode: NetworkMode = fwd === null ? "isolated" : fwd === "nat" || fwd === "bridge" ? fwd : "other";
  const ip = (net.ip ?? []).find((i) => (i["@family"] ?? "ipv4") === "ipv4" && i["@address"]);
  const prefix = ip ? (ip["@prefix"] !== undefined ? Number(ip["@prefix"]) : ip["@netmask"] ? maskToPrefix(ip["@netmask"]) : 24) : null;
  const range = ip?.dhcp?.range?.[0];
  return {
    mode,
    bridge: net.bridge?.["@name"] ? String(net.bridge["@name"]) : null,
    ipv4: ip && prefix !== null ? { address: String(ip["@address"]), prefix } : null,
    dhcp: range?.["@start"] && range["@end"] ? { start: String(range["@start"]), end: String(range["@end"]) } : null,
  };
}
