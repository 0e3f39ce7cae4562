// VmEditArea over libvirt's RPC.
import type { VmEditArea } from "../../areas/vm-edit-area";
import type { LibvirtAreaContext } from "./context";

export function libvirtVmEdit(_ctx: LibvirtAreaContext): VmEditArea {
  return {};
}
