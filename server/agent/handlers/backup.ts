// Handlers for the backup methods (server/protocol/backup-methods.ts).
import type { BackupMethods } from "../../protocol/backup-methods";
import type { HandlerTableOf, MethodsOf } from "../dispatcher";

export const backupHandlers: HandlerTableOf<MethodsOf<typeof BackupMethods>> = {
  "vm.backup": (p, c, call) => c.hypervisor.backups.backup(p.uuid, p.dir, p.slot, call.signal, (done, total) => call.progress(done, total)),
  "backup.delete": async (p, c) => {
    await c.hypervisor.backups.remove(p.path);
    return {};
  },
  "backup.restore": (p, c, call) => c.hypervisor.backups.restore(p.path, p.name, p.start, call.signal, (done, total) => call.progress(done, total)),
};
