// Virtual network procedures (virNetwork*). A network travels as remote_nonnull_network.
import type { CallOptions, LibvirtClient } from "./client";
import { Limits, Proc } from "./procedures";
import { readNetwork, uuidToBytes, writeNetwork, type NetworkRef } from "./wire-types";
import type { XdrReader, XdrWriter } from "./xdr";

/** remote_network_dhcp_lease. */
export interface DhcpLease {
  /** The network's bridge, e.g. "virbr1". */
  iface: string;
  /** Seconds since the epoch. */
  expiryTime: bigint;
  /** IpAddrType.* */
  type: number;
  mac: string | null;
  /** DHCPv6 identity association id. */
  iaid: string | null;
  ipaddr: string;
  prefix: number;
  hostname: string | null;
  clientid: string | null;
}

export function readDhcpLease(r: XdrReader): DhcpLease {
  const optStr = (x: XdrReader) => x.optional((y) => y.string());
  return {
    iface: r.string(),
    expiryTime: r.hyper(),
    type: r.int(),
    mac: optStr(r),
    iaid: optStr(r),
    ipaddr: r.string(),
    prefix: r.uint(),
    hostname: optStr(r),
    clientid: optStr(r),
  };
}

/** All networks (ListNetworksFlags.* filter; 0 = every network). */
export function networkList(client: LibvirtClient, flags = 0, opts?: CallOptions): Promise<NetworkRef[]> {
  return client.call(
    Proc.CONNECT_LIST_ALL_NETWORKS,
    (w) => w.int(1).uint(flags),
    (r) => {
      const nets = r.array(readNetwork, Limits.NETWORK_LIST_MAX);
      r.uint();
      return nets;
    },
    opts,
  );
}

export function networkLookupByName(client: LibvirtClient, name: string, opts?: CallOptions): Promise<NetworkRef> {
  return client.call(Proc.NETWORK_LOOKUP_BY_NAME, (w) => w.string(name), readNetwork, opts);
}

export function networkLookupByUuid(client: LibvirtClient, uuid: string, opts?: CallOptions): Promise<NetworkRef> {
  return client.call(Proc.NETWORK_LOOKUP_BY_UUID, (w) => w.fixedOpaque(uuidToBytes(uuid), 16), readNetwork, opts);
}

/**
 * Defines a persistent, inactive network. Uses the flag-less NETWORK_DEFINE_XML, which
 * every libvirt has (the _FLAGS variant with VALIDATE arrived in 7.7).
 */
export function networkDefineXml(client: LibvirtClient, xml: string, opts?: CallOptions): Promise<NetworkRef> {
  return client.call(Proc.NETWORK_DEFINE_XML, (w) => w.string(xml), readNetwork, opts);
}

/**
 * Starts a network: creates its bridge and, when it has an IP range, starts dnsmasq for
 * DHCP/DNS. A host without dnsmasq fails here, with libvirt naming the binary.
 */
export function networkCreate(client: LibvirtClient, net: NetworkRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.NETWORK_CREATE, (w) => writeNetwork(w, net), undefined, opts);
}

export function networkDestroy(client: LibvirtClient, net: NetworkRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.NETWORK_DESTROY, (w) => writeNetwork(w, net), undefined, opts);
}

export function networkUndefine(client: LibvirtClient, net: NetworkRef, opts?: CallOptions): Promise<void> {
  return client.call(Proc.NETWORK_UNDEFINE, (w) => writeNetwork(w, net), undefined, opts);
}

/** NetworkXmlFlags.INACTIVE gives the definition to use at the next start. */
export function networkGetXmlDesc(client: LibvirtClient, net: NetworkRef, flags = 0, opts?: CallOptions): Promise<string> {
  return client.call(
    Proc.NETWORK_GET_XML_DESC,
    (w) => netFlags(w, net, flags),
    (r) => r.string(),
    opts,
  );
}

export function networkGetBridgeName(client: LibvirtClient, net: NetworkRef, opts?: CallOptions): Promise<string> {
  return client.call(
    Proc.NETWORK_GET_BRIDGE_NAME,
    (w) => writeNetwork(w, net),
    (r) => r.string(),
    opts,
  );
}

export function networkGetAutostart(client: LibvirtClient, net: NetworkRef, opts?: CallOptions): Promise<boolean> {
  return client.call(Proc.NETWORK_GET_AUTOSTART, (w) => writeNetwork(w, net), readBool, opts);
}

export function networkSetAutostart(client: LibvirtClient, net: NetworkRef, autostart: boolean, opts?: CallOptions): Promise<void> {
  return client.call(
    Proc.NETWORK_SET_AUTOSTART,
    (w) => {
      writeNetwork(w, net);
      w.int(autostart ? 1 : 0);
    },
    undefined,
    opts,
  );
}

export function networkIsActive(client: LibvirtClient, net: NetworkRef, opts?: CallOptions): Promise<boolean> {
  return client.call(Proc.NETWORK_IS_ACTIVE, (w) => writeNetwork(w, net), readBool, opts);
}

export function networkIsPersistent(client: LibvirtClient, net: NetworkRef, opts?: CallOptions): Promise<boolean> {
  return client.call(Proc.NETWORK_IS_PERSISTENT, (w) => writeNetwork(w, net), readBool, opts);
}

/** The leases dnsmasq handed out on this network (`mac` null = all). */
export function networkGetDhcpLeases(client: LibvirtClient, net: NetworkRef, mac: string | null = null, opts?: CallOptions): Promise<DhcpLease[]> {
  return client.call(
    Proc.NETWORK_GET_DHCP_LEASES,
    (w) => {
      writeNetwork(w, net);
      w.optional(mac, (x, v) => x.string(v))
        .int(1)
        .uint(0);
    },
    (r) => {
      const leases = r.array(readDhcpLease, Limits.NETWORK_DHCP_LEASES_MAX);
      r.uint();
      return leases;
    },
    opts,
  );
}

/** Subscribes to NetworkEventId.* (for one network, or all); returns the callbackID. */
export function registerNetworkEvent(client: LibvirtClient, eventId: number, net: NetworkRef | null = null, opts?: CallOptions): Promise<number> {
  return client.call(
    Proc.CONNECT_NETWORK_EVENT_REGISTER_ANY,
    (w) => w.int(eventId).optional(net, (x, v) => writeNetwork(x, v)),
    (r) => r.int(),
    opts,
  );
}

export function deregisterNetworkEvent(client: LibvirtClient, callbackId: number, opts?: CallOptions): Promise<void> {
  return client.call(Proc.CONNECT_NETWORK_EVENT_DEREGISTER_ANY, (w) => w.int(callbackId), undefined, opts);
}

function netFlags(w: XdrWriter, net: NetworkRef, flags: number): void {
  writeNetwork(w, net);
  w.uint(flags);
}

const readBool = (r: XdrReader): boolean => r.int() !== 0;
