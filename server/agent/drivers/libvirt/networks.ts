// Virtual networks of the host over libvirt's RPC (never virsh): the rows network.list
// answers, definitions from typed specs, start/stop/autostart, undefine and DHCP leases.
// libvirt's refusals become protocol codes; the host pieces libvirt lacks (dnsmasq, the
// bridge) are checked first so the message names them (./network-host.ts).
import os from "node:os";
import { intToIpv4, subnetBounds, type DhcpLease, type NetworkActionSpec, type NetworkDefineSpec, type NetworkSummary } from "../../../protocol";
import { DriverError } from "../driver";
import {
  ErrorCode,
  IpAddrType,
  LibvirtError,
  networkCreate,
  networkDefineXml,
  networkDestroy,
  networkGetAutostart,
  networkGetDhcpLeases,
  networkGetXmlDesc,
  networkIsActive,
  networkIsPersistent,
  networkList,
  networkLookupByName,
  networkSetAutostart,
  networkUndefine,
  type LibvirtClient,
  type NetworkRef,
} from "../../libvirt";
import { bridgeProblem, dnsmasqMissing, findDnsmasq } from "./network-host";
import { networkXml, parseNetworkXml } from "./network-xml";

async function summary(c: LibvirtClient, net: NetworkRef): Promise<NetworkSummary> {
  const [xml, active, persistent, autostart] = await Promise.all([
    networkGetXmlDesc(c, net),
    networkIsActive(c, net),
    networkIsPersistent(c, net),
    networkGetAutostart(c, net),
  ]);
  return { name: net.name, uuid: net.uuid, active, persistent, autostart, ...parseNetworkXml(xml) };
}

/** Every network of the host, by name. A network undefined while we read it is left out. */
export function listNetworks(c: LibvirtClient): Promise<NetworkSummary[]> {
  return wrap(readNetworks(c));
}

async function readNetworks(c: LibvirtClient): Promise<NetworkSummary[]> {
  const rows = await Promise.all(
    (await networkList(c)).map((ref) =>
      summary(c, ref).catch((err: unknown) => {
        if (err instanceof LibvirtError && err.code === ErrorCode.NO_NETWORK) return null;
        throw err;
      }),
    ),
  );
  return rows.filter((r): r is NetworkSummary => r !== null).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Defines a persistent, inactive network. Refused before libvirt is asked: a taken name
 * (conflict), a subnet overlapping another network's (conflict naming it: libvirt would
 * only refuse at start, and only while the other one runs), a missing host bridge.
 */
export function defineNetwork(c: LibvirtClient, spec: NetworkDefineSpec): Promise<NetworkSummary> {
  return wrap(
    (async () => {
      const existing = await readNetworks(c);
      if (existing.some((n) => n.name === spec.name)) throw new DriverError("conflict", `a network named ${spec.name} already exists`);
      if (spec.mode === "bridge") {
        const problem = bridgeProblem(spec.bridge);
        if (problem) throw new DriverError("invalid_input", `bridge: ${problem}`);
      } else {
        const mine = subnetBounds(spec.address, spec.prefix);
        const clash = existing.find((n) => {
          if (!n.ipv4) return false;
          const theirs = subnetBounds(n.ipv4.address, n.ipv4.prefix);
          return mine.first <= theirs.last && theirs.first <= mine.last;
        });
        if (clash?.ipv4) {
          const subnet = (b: { first: number }, p: number) => `${intToIpv4(b.first)}/${p}`;
          throw new DriverError(
            "conflict",
            `address: ${subnet(mine, spec.prefix)} overlaps network ${clash.name} (${subnet(subnetBounds(clash.ipv4.address, clash.ipv4.prefix), clash.ipv4.prefix)})`,
          );
        }
      }
      return summary(c, await networkDefineXml(c, networkXml(spec)));
    })(),
  );
}

export function networkAction(c: LibvirtClient, name: string, a: NetworkActionSpec): Promise<NetworkSummary> {
  return wrap(
    (async () => {
      const net = await networkLookupByName(c, name);
      if (a.action === "start") await startNetwork(c, net);
      else if (a.action === "stop") await networkDestroy(c, net);
      else await networkSetAutostart(c, net, a.enabled);
      return summary(c, net);
    })(),
  );
}

async function startNetwork(c: LibvirtClient, net: NetworkRef): Promise<void> {
  const parsed = parseNetworkXml(await networkGetXmlDesc(c, net));
  // libvirt runs dnsmasq for any NAT/isolated network with an address; bridge mode has none.
  if ((parsed.mode === "nat" || parsed.mode === "isolated") && parsed.ipv4 && !findDnsmasq())
    throw new DriverError("invalid_state", dnsmasqMissing());
  if (parsed.mode === "bridge" && parsed.bridge) {
    const problem = bridgeProblem(parsed.bridge);
    if (problem) throw new DriverError("invalid_state", `bridge: ${problem}`);
  }
  await networkCreate(c, net);
}

/**
 * Removes a network. An active one is stopped first (documented choice: guests attached
 * lose their link, so the UI confirms it); a transient one is gone once stopped.
 */
export function undefineNetwork(c: LibvirtClient, name: string): Promise<{ stopped: boolean }> {
  return wrap(
    (async () => {
      const net = await networkLookupByName(c, name);
      const [active, persistent] = await Promise.all([networkIsActive(c, net), networkIsPersistent(c, net)]);
      if (active) await networkDestroy(c, net);
      if (persistent) await networkUndefine(c, net);
      return { stopped: active };
    })(),
  );
}

/** dnsmasq's current leases on the network (an inactive or address-less network has none). */
export function networkLeases(c: LibvirtClient, name: string): Promise<DhcpLease[]> {
  return wrap(
    (async () => {
      const net = await networkLookupByName(c, name);
      const leases = await networkGetDhcpLeases(c, net);
      return leases.map((l) => ({
        mac: l.mac,
        ip: l.ipaddr,
        prefix: l.prefix,
        family: l.type === IpAddrType.IPV6 ? ("ipv6" as const) : ("ipv4" as const),
        hostname: l.hostname,
        // dnsmasq writes 0 for a lease that never expires.
        expiresAt: l.expiryTime === 0n ? null : new Date(Number(l.expiryTime) * 1000).toISOString(),
      }));
    })(),
  );
}

/**
 * libvirt's refusals as protocol codes with libvirt's message, except those the host can
 * fix, which get a message naming what to fix: dnsmasq missing from libvirtd's PATH (our
 * own lookup may differ from libvirtd's), a firewall libvirt cannot program (containers
 * without CAP_NET_ADMIN), a subnet already routed on the host.
 */
async function wrap<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DriverError) throw err;
    if (err instanceof LibvirtError) {
      const m = err.message;
      if (/find 'dnsmasq'|dnsmasq.*(not found|No such file)/i.test(m)) throw new DriverError("invalid_state", `${dnsmasqMissing()} (libvirt: ${m})`);
      if (/iptables|ip6tables|nftables|\bnft\b|firewall/i.test(m))
        throw new DriverError(
          "invalid_state",
          `libvirt cannot set up the NAT firewall rules on host ${os.hostname()} (needs iptables/nftables and CAP_NET_ADMIN): ${m}`,
        );
      if (/already in use by interface/i.test(m)) throw new DriverError("conflict", `address: ${m}`);
      if (err.code === ErrorCode.NO_NETWORK) throw new DriverError("not_found", m);
      if (err.code === ErrorCode.NETWORK_EXIST) throw new DriverError("conflict", m);
      if (err.code === ErrorCode.OPERATION_INVALID) throw new DriverError("invalid_state", m);
      if (err.code === ErrorCode.XML_ERROR || err.code === ErrorCode.INVALID_ARG) throw new DriverError("invalid_input", m);
      throw new DriverError("libvirt_error", m);
    }
    throw new DriverError("libvirt_unavailable", (err as Error).message);
  }
}
