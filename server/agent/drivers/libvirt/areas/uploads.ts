// UploadArea over libvirt's RPC.
import type { UploadArea } from "../../areas/upload-area";
import type { LibvirtAreaContext } from "./context";

export function libvirtUploads(_ctx: LibvirtAreaContext): UploadArea {
  return {};
}
