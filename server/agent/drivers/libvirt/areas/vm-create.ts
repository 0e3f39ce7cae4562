// VmCreateArea over libvirt's RPC.
import type { VmCreateArea } from "../../areas/vm-create-area";
import type { LibvirtAreaContext } from "./context";

export function libvirtVmCreate(_ctx: LibvirtAreaContext): VmCreateArea {
  return {};
}
