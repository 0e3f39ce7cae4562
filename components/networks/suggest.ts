// Defaults for a new network: the lowest 192.168.1xx.0/24 no existing network overlaps
// (libvirt's own default is 192.168.122.0/24), host at .1, DHCP .2-.254, and a free name.
import { intToIpv4, ipv4ToInt, subnetBounds, type NetworkSummary } from "@/server/protocol/network";

export interface SubnetDefaults {
  address: string;
  prefix: number;
  dhcpStart: string;
  dhcpEnd: string;
}

export function suggestSubnet(existing: readonly NetworkSummary[]): SubnetDefaults {
  const used = existing.flatMap((n) => (n.ipv4 ? [subnetBounds(n.ipv4.address, n.ipv4.prefix)] : []));
  for (let x = 100; x < 200; x++) {
    const first = ipv4ToInt(`192.168.${x}.0`);
    if (!used.some((u) => first <= u.last && u.first <= first + 255)) {
      return { address: intToIpv4(first + 1), prefix: 24, dhcpStart: intToIpv4(first + 2), dhcpEnd: intToIpv4(first + 254) };
    }
  }
  // All 100 taken (unusual): offer the first anyway; the agent refuses the overlap by name.
  return { address: "192.168.100.1", prefix: 24, dhcpStart: "192.168.100.2", dhcpEnd: "192.168.100.254" };
}

export function suggestName(existing: readonly NetworkSummary[]): string {
  const names = new Set(existing.map((n) => n.name));
  for (let i = 1; ; i++) if (!names.has(`net${i}`)) return `net${i}`;
}

/** When the address or prefix changes, the DHCP range follows: the subnet's .2 to its last host address. */
export function rangeFor(address: string, prefix: number): { dhcpStart: string; dhcpEnd: string } | null {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address) || !(prefix >= 8 && prefix <= 30)) return null;
  const { first, last } = subnetBounds(address, prefix);
  const host = ipv4ToInt(address);
  // Start after the host's own address when it is the subnet's first (the usual .1).
  const start = host === first + 1 ? first + 2 : first + 1;
  const end = host === last - 1 ? last - 2 : last - 1;
  return start <= end ? { dhcpStart: intToIpv4(start), dhcpEnd: intToIpv4(end) } : null;
}
