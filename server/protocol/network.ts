// libvirt virtual networks as Hangar shows and defines them, shared by agent, server and
// browser. A definition is a typed spec, never XML: the agent builds the XML itself.
import { z } from "zod";

/** How a network reaches the outside: NAT through the host, isolated (host and guests only), a host bridge, or anything else libvirt knows. */
export const NETWORK_MODES = ["nat", "isolated", "bridge", "other"] as const;
export const NetworkMode = z.enum(NETWORK_MODES);
export type NetworkMode = z.infer<typeof NetworkMode>;

/** The modes Hangar defines (others, e.g. route or hostdev, are listed but not created here). */
export const DEFINE_MODES = ["nat", "isolated", "bridge"] as const;

/**
 * What a new network may be called: libvirt allows more, but the name is also a URL
 * segment and dnsmasq's config file name, so no '/', spaces or control characters.
 */
export const NetworkName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");

/** A Linux interface name: the kernel allows at most 15 bytes (IFNAMSIZ 16 with the NUL), no '/' or spaces. */
export const BridgeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/, "1-15 letters, digits, '.', '_' or '-' (a Linux interface name)");

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export const Ipv4 = z.string().regex(IPV4, "a dotted IPv4 address, e.g. 192.168.100.1");

/** Dotted quad → unsigned 32-bit number. */
export function ipv4ToInt(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** First and last address of the subnet that holds `ip` (network and broadcast address). */
export function subnetBounds(ip: string, prefix: number): { first: number; last: number } {
  const size = 2 ** (32 - prefix);
  const first = Math.floor(ipv4ToInt(ip) / size) * size;
  return { first, last: first + size - 1 };
}

/** Does `ip` lie in the subnet of `address`/`prefix`, excluding its network and broadcast address? */
export function inSubnet(ip: string, address: string, prefix: number): boolean {
  const { first, last } = subnetBounds(address, prefix);
  const n = ipv4ToInt(ip);
  return n > first && n < last;
}

// /8 at most (a larger one is a typo, not a lab) and /30 at least (room for host + one guest).
const Prefix = z.number().int().min(8, "8 to 30").max(30, "8 to 30");

const routed = <M extends "nat" | "isolated">(mode: M) =>
  z
    .strictObject({
      name: NetworkName,
      mode: z.literal(mode),
      /** The host's own address on the network (its gateway and DNS for the guests). */
      address: Ipv4,
      prefix: Prefix,
      /** DHCP range; both or neither (no DHCP: guests need static addresses). */
      dhcpStart: Ipv4.optional(),
      dhcpEnd: Ipv4.optional(),
    })
    .superRefine((s, ctx) => {
      const bad = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
      // Zod still runs this after a field failed: judge the subnet only from valid parts.
      if (!Ipv4.safeParse(s.address).success || !Prefix.safeParse(s.prefix).success) return;
      const { first, last } = subnetBounds(s.address, s.prefix);
      const n = ipv4ToInt(s.address);
      if (n === first || n === last) bad("address", `the network or broadcast address of ${intToIpv4(first)}/${s.prefix}; use a host address`);
      if ((s.dhcpStart === undefined) !== (s.dhcpEnd === undefined)) {
        bad(s.dhcpStart === undefined ? "dhcpStart" : "dhcpEnd", "give both ends of the DHCP range, or neither");
        return;
      }
      if (s.dhcpStart === undefined || s.dhcpEnd === undefined) return;
      const subnet = `${intToIpv4(first)}/${s.prefix}`;
      const okStart = inSubnet(s.dhcpStart, s.address, s.prefix);
      const okEnd = inSubnet(s.dhcpEnd, s.address, s.prefix);
      if (!okStart) bad("dhcpStart", `outside the subnet ${subnet} (or its network/broadcast address)`);
      if (!okEnd) bad("dhcpEnd", `outside the subnet ${subnet} (or its network/broadcast address)`);
      if (!okStart || !okEnd) return;
      const a = ipv4ToInt(s.dhcpStart);
      const b = ipv4ToInt(s.dhcpEnd);
      if (a > b) bad("dhcpEnd", `before the range's start ${s.dhcpStart}`);
      // dnsmasq would otherwise hand the host's own address to a guest.
      else if (n >= a && n <= b) bad("dhcpStart", `the range ${s.dhcpStart}-${s.dhcpEnd} contains the host's address ${s.address}`);
    });

export const NetworkDefineSpec = z.discriminatedUnion("mode", [
  routed("nat"),
  routed("isolated"),
  z.strictObject({
    name: NetworkName,
    mode: z.literal("bridge"),
    /** An existing Linux bridge on the host (e.g. br0); guests join the host's LAN through it. */
    bridge: BridgeName,
  }),
]);
export type NetworkDefineSpec = z.infer<typeof NetworkDefineSpec>;

export const NetworkSummary = z.strictObject({
  name: z.string().min(1).max(256),
  uuid: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a lowercase UUID"),
  active: z.boolean(),
  persistent: z.boolean(),
  autostart: z.boolean(),
  mode: NetworkMode,
  /** The Linux bridge guests attach to (libvirt's virbrN, or the host bridge in bridge mode); null if none is named. */
  bridge: z.string().max(64).nullable(),
  /** The host's IPv4 address on the network and its prefix; null without one (bridge mode). */
  ipv4: z.strictObject({ address: z.string().max(15), prefix: z.number().int().min(0).max(32) }).nullable(),
  dhcp: z.strictObject({ start: z.string().max(15), end: z.string().max(15) }).nullable(),
});
export type NetworkSummary = z.infer<typeof NetworkSummary>;

export const NetworkActionSpec = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("start") }),
  z.strictObject({ action: z.literal("stop") }),
  z.strictObject({ action: z.literal("autostart"), enabled: z.boolean() }),
]);
export type NetworkActionSpec = z.infer<typeof NetworkActionSpec>;

export const DhcpLease = z.strictObject({
  mac: z.string().max(64).nullable(),
  ip: z.string().max(64),
  prefix: z.number().int().min(0).max(128),
  family: z.enum(["ipv4", "ipv6"]),
  hostname: z.string().max(256).nullable(),
  /** When the lease runs out, ISO 8601 (null if dnsmasq gave an infinite lease). */
  expiresAt: z.string().max(40).nullable(),
});
export type DhcpLease = z.infer<typeof DhcpLease>;
