// Virtual networks of a hypervisor host (NAT, isolated, bridged) and their DHCP leases: what its handlers need from a driver.
import type { DhcpLease, NetworkActionSpec, NetworkDefineSpec, NetworkSummary } from "../../../protocol";

export interface NetworkArea {
  listNetworks(): Promise<NetworkSummary[]>;
  /** The host's Linux bridges by name (what bridge mode can join). */
  hostBridges(): Promise<string[]>;
  /** A persistent, inactive network built from the spec (never from caller XML). */
  defineNetwork(spec: NetworkDefineSpec): Promise<NetworkSummary>;
  networkAction(name: string, action: NetworkActionSpec): Promise<NetworkSummary>;
  /** Stops the network first when active; `stopped` says whether it had to. */
  undefineNetwork(name: string): Promise<{ stopped: boolean }>;
  networkLeases(name: string): Promise<DhcpLease[]>;
}
