// libvirt virtual networks: methods the server calls on the agent (noun.verb, params and result).
import { z } from "zod";
import { DhcpLease, NetworkActionSpec, NetworkDefineSpec, NetworkName, NetworkSummary } from "./network";

export const NetworkMethods = {
  // bridges: the host's Linux bridges (libvirt's own virbrN included), for choosing one in bridge mode.
  "network.list": {
    params: z.strictObject({}),
    result: z.strictObject({ networks: z.array(NetworkSummary).max(16_384), bridges: z.array(z.string().max(15)).max(4096) }),
  },
  // A persistent, inactive network; network.action "start" brings up its bridge (and dnsmasq).
  "network.define": { params: z.strictObject({ spec: NetworkDefineSpec }), result: z.strictObject({ network: NetworkSummary }) },
  "network.action": {
    params: z.strictObject({ name: NetworkName, action: NetworkActionSpec }),
    result: z.strictObject({ network: NetworkSummary }),
  },
  // Stops the network first when it is active (guests on it lose their link), then removes the definition.
  "network.undefine": { params: z.strictObject({ name: NetworkName }), result: z.strictObject({ stopped: z.boolean() }) },
  "network.leases": { params: z.strictObject({ name: NetworkName }), result: z.strictObject({ leases: z.array(DhcpLease).max(65_536) }) },
} as const;
