// NetworkArea over libvirt's RPC.
import type { NetworkArea } from "../../areas/network-area";
import type { LibvirtAreaContext } from "./context";

export function libvirtNetwork(_ctx: LibvirtAreaContext): NetworkArea {
  return {};
}
