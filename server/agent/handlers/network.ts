// Handlers for the methods of server/protocol/network-methods.ts.
import type { NetworkMethods } from "../../protocol/network-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const networkHandlers: HandlerTableOf<MethodsOf<typeof NetworkMethods>> = {
  "network.list": async (_p, c) => {
    const [networks, bridges] = await Promise.all([c.hypervisor.networks.listNetworks(), c.hypervisor.networks.hostBridges()]);
    return { networks, bridges };
  },
  "network.define": async (p, c) => ({ network: await c.hypervisor.networks.defineNetwork(p.spec) }),
  "network.action": async (p, c) => ({ network: await c.hypervisor.networks.networkAction(p.name, p.action) }),
  "network.undefine": async (p, c) => c.hypervisor.networks.undefineNetwork(p.name),
  "network.leases": async (p, c) => ({ leases: await c.hypervisor.networks.networkLeases(p.name) }),
};
