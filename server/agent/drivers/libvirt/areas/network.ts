// NetworkArea over libvirt's RPC (../networks.ts).
import type { NetworkArea } from "../../areas/network-area";
import { defineNetwork, listNetworks, networkAction, networkLeases, undefineNetwork } from "../networks";
import { listBridges } from "../network-host";
import type { LibvirtAreaContext } from "./context";

export function libvirtNetwork(ctx: LibvirtAreaContext): NetworkArea {
  return {
    listNetworks: () => listNetworks(ctx.need()),
    hostBridges: async () => listBridges(),
    defineNetwork: (spec) => defineNetwork(ctx.need(), spec),
    networkAction: (name, action) => networkAction(ctx.need(), name, action),
    undefineNetwork: (name) => undefineNetwork(ctx.need(), name),
    networkLeases: (name) => networkLeases(ctx.need(), name),
  };
}
