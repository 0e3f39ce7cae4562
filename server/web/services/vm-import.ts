// Importing a VM from a foreign disk or an OVA: ONE task (kind vm.import, target the new
// VM's name) that converts the disk on the host (agent disk.import) and then defines the VM
// from it (createFromImport). A failed create deletes the converted volume again, so a
// failed import leaves nothing behind.
import type { DiskImportResult, DomainSummary, VmImportRequest } from "../../protocol";
import type { Services } from "../services";
import { refusalField } from "../http/agent-errors";
import { ApiError } from "../http/errors";
import { taskRow } from "../tasks/task-service";
import type { Caller } from "./caller";
import { getHost } from "./hosts";
import { createFromImport, importPlan } from "./create-from-import";

/** Conversion speed is the disk's business: a 100 GiB VMDK on slow storage takes a while. */
export const IMPORT_TIMEOUT_MS = 2 * 60 * 60 * 1000;
const DISCARD_TIMEOUT_MS = 60_000;

/** The volume an import of VM `name` creates. */
export const importVolumeName = (name: string) => `${name}.qcow2`;

export async function importVm(svc: Services, caller: Caller, o: { hostId: string; req: VmImportRequest; idempotencyKey: string | null }) {
  await getHost(svc, o.hostId);
  const { req } = o;
  const prior = await svc.tasks.replay(caller.user, o.idempotencyKey);
  if (prior) return prior;
  for (const d of svc.hub.domains(o.hostId).values())
    if (d.name === req.name) throw new ApiError("conflict", `name: a machine named ${req.name} already exists on this host`, { name: "taken" });
  const targetName = importVolumeName(req.name);
  try {
    return await svc.tasks.run({
      user: caller.user,
      ip: caller.ip,
      hostId: o.hostId,
      kind: "vm.import",
      targetType: "vm",
      targetId: req.name,
      targetName: req.name,
      idempotencyKey: o.idempotencyKey,
      input: req,
      timeoutMs: IMPORT_TIMEOUT_MS,
      // A cancel kills qemu-img on the host (which removes its partial file); one that comes
      // after the conversion removes the converted volume before any VM is defined.
      cancellable: true,
      call: async (timeoutMs, taskId, signal) => {
        const started = Date.now();
        const imported: DiskImportResult = await svc.hub.call(
          o.hostId,
          "disk.import",
          { sourcePool: req.sourcePool, sourceVolume: req.sourceVolume, targetPool: req.targetPool, targetName },
          timeoutMs,
          // qemu-img's percentage (total 100) as the task's live progress.
          { signal, onProgress: (done, total) => svc.tasks.progress(taskId, done, total) },
        );
        const plan = importPlan(req, imported);
        let vm: DomainSummary;
        try {
          signal.throwIfAborted();
          vm = await createFromImport(svc, o.hostId, plan, Math.max(30_000, timeoutMs - (Date.now() - started)));
        } catch (err) {
          await svc.hub
            .call(o.hostId, "disk.discard", { pool: imported.volume.pool, name: imported.volume.name }, DISCARD_TIMEOUT_MS)
            .catch(() => undefined);
          throw err;
        }
        return { ...imported, plan, vm, created: true };
      },
      // Kept on the task: what was made, and whether a VM was defined from it yet.
      describe: (r) => {
        const x = r as DiskImportResult & { plan: unknown; created: boolean };
        return { volume: x.volume, sourceFormat: x.sourceFormat, ovf: x.ovf, plan: x.plan, created: x.created };
      },
    });
  } catch (err) {
    // The volume's name is derived from the VM's: a taken targetName is a taken `name` to the caller.
    // The agent names the field it refuses ("ovf.memory: …"): so does the HTTP error.
    throw refusalField(err, { rename: (f) => (f === "targetName" ? "name" : f), whole: true });
  }
}

/**
 * An import task and what it made (volume, OVF facts, plan), for the browser that got a 202:
 * task events carry the status only. Only vm.import tasks of this host are answered.
 */
export async function importResult(svc: Services, hostId: string, taskId: string) {
  await getHost(svc, hostId);
  const t = await svc.db.task.findUnique({ where: { id: taskId }, include: { user: { select: { username: true } } } });
  if (!t || t.kind !== "vm.import" || t.hostId !== hostId)
    throw new ApiError("not_found", `task: no import task ${taskId} on this host`, { task: "unknown" });
  let result: unknown = null;
  try {
    result = t.resultJson ? (JSON.parse(t.resultJson) as unknown) : null;
  } catch {
    result = null;
  }
  return { task: taskRow(t), result };
}
