// UploadArea over libvirt's RPC.
import type { UploadArea } from "../../areas/upload-area";
import { uploadVolume } from "../volume-upload";
import type { LibvirtAreaContext } from "./context";

export function libvirtUploads(ctx: LibvirtAreaContext): UploadArea {
  return {
    uploadVolume: (spec, open) => uploadVolume(ctx.need(), spec, open),
  };
}
