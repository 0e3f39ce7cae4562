// BackupArea over libvirt's RPC and qemu-img: the work is in ../backups/.
import type { BackupArea } from "../../areas/backup-area";
import { domainLookupByUuid } from "../../../libvirt";
import { wrap } from "../vm-edit/errors";
import { backupDomain, deleteBackup } from "../backups/backup";
import { restoreBackup } from "../backups/restore";
import type { LibvirtAreaContext } from "./context";

export function libvirtBackups(ctx: LibvirtAreaContext): BackupArea {
  return {
    backup: (uuid, dir, slot, signal, onProgress) =>
      wrap(
        (async () => {
          const c = ctx.need();
          return backupDomain(c, await domainLookupByUuid(c, uuid), dir, slot, signal, onProgress);
        })(),
      ),
    remove: async (path) => deleteBackup(path),
    restore: (path, name, start, signal, onProgress) =>
      wrap(
        (async () => {
          const { dom, volumes } = await restoreBackup(ctx.need(), path, name, start, signal, onProgress);
          const domain = await ctx.summary(dom.uuid);
          ctx.changed(dom, "defined");
          return { domain, volumes };
        })(),
      ),
  };
}
