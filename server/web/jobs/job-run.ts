// One run of a job for one VM: claimed by inserting its JobRun row (the unique jobId + slot
// + target makes the insert the lock, across every server on the database), then run as a
// task on the VM (one task per VM at a time), and on success pruned to the job's retention.
import type { BackupJob, JobRun, User } from "../db/client";
import type { Services } from "../services";
import { slotName, slotTime } from "./schedule";
import { Retention, toPrune } from "./retention";

/** A full copy of big disks takes long; past this the task is settled as unknown. */
export const BACKUP_TIMEOUT_MS = 6 * 3600_000;
const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;

export interface RunTarget {
  hostId: string;
  uuid: string;
  name: string;
}

/** The VMs a job covers now: its one VM, every VM of its host, or every VM with its tag. */
export async function targetsOf(svc: Services, job: BackupJob): Promise<RunTarget[]> {
  const named = (hostId: string, uuid: string): RunTarget => ({ hostId, uuid, name: svc.hub.domain(hostId, uuid)?.name ?? uuid });
  if (job.targetType === "vm") {
    const [hostId = "", uuid = ""] = job.targetId.split("/");
    return [named(hostId, uuid)];
  }
  if (job.targetType === "host") return [...svc.hub.domains(job.targetId).values()].map((d) => named(job.targetId, d.uuid));
  const tagged = await svc.db.resourceTag.findMany({ where: { targetType: "vm", tag: job.targetId } });
  return tagged.map((t) => named(t.hostId, t.targetId));
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === "P2002" || /unique constraint/i.test(e.message ?? "");
}

/** The run's row if this server won the slot, null when another (or an earlier tick) has it. */
export async function claim(svc: Services, job: BackupJob, slot: string, t: RunTarget): Promise<JobRun | null> {
  try {
    return await svc.db.jobRun.create({ data: { jobId: job.id, slot, hostId: t.hostId, target: t.uuid, targetName: t.name } });
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

async function settle(svc: Services, runId: string, data: { status: string; error?: string | null; size?: bigint; path?: string }) {
  await svc.db.jobRun.update({ where: { id: runId }, data: { ...data, finishedAt: new Date() } });
}

/** Deletes what the job no longer keeps for this VM; a failed delete stays listed and is retried next time. */
async function prune(svc: Services, job: BackupJob, t: RunTarget): Promise<void> {
  const retention = Retention.parse(JSON.parse(job.retentionJson));
  const done = await svc.db.jobRun.findMany({ where: { jobId: job.id, target: t.uuid, status: "succeeded" } });
  const drop = toPrune(
    done.map((r) => ({ ...r, at: slotTime(r.slot) })),
    retention,
    job.timeZone,
  );
  for (const r of drop) {
    try {
      if (job.kind === "backup" && r.path) await svc.hub.call(t.hostId, "backup.delete", { path: r.path }, 60_000);
      if (job.kind === "snapshot" && r.path) await svc.hub.call(t.hostId, "vm.snapshot.delete", { uuid: t.uuid, name: r.path }, SNAPSHOT_TIMEOUT_MS);
      await svc.db.jobRun.update({ where: { id: r.id }, data: { status: "deleted" } });
    } catch (err) {
      console.error(`[jobs] ${job.name}: could not delete ${r.path}:`, (err as Error).message);
    }
  }
}

/** Runs a claimed slot as a task; answers once the task is started (the run ends by itself). */
export async function execute(svc: Services, job: BackupJob, run: JobRun, t: RunTarget, user: User): Promise<void> {
  const name = slotName(run.slot);
  const backup = job.kind === "backup";
  const running = svc.hub.domain(t.hostId, t.uuid)?.state === "running";
  try {
    const r = await svc.tasks.run({
      user,
      ip: "scheduler",
      hostId: t.hostId,
      kind: backup ? "vm.backup" : "vm.snapshot.create",
      targetType: "vm",
      targetId: t.uuid,
      targetName: t.name,
      idempotencyKey: null,
      input: { job: job.id, jobName: job.name, slot: run.slot },
      timeoutMs: backup ? BACKUP_TIMEOUT_MS : SNAPSHOT_TIMEOUT_MS,
      inlineWaitMs: 0,
      call: async (timeoutMs, taskId) => {
        try {
          let result: { path: string; size: number };
          if (backup) {
            const onProgress = (done: number, total: number | null) => svc.tasks.progress(taskId, done, total);
            result = await svc.hub.call(t.hostId, "vm.backup", { uuid: t.uuid, dir: job.destination, slot: name }, timeoutMs, { onProgress });
          } else {
            const snap = `hangar-${name}`;
            const description = `Backup job ${job.name}, slot ${run.slot}`;
            await svc.hub.call(t.hostId, "vm.snapshot.create", { uuid: t.uuid, name: snap, description, memory: running }, timeoutMs);
            result = { path: snap, size: 0 };
          }
          await settle(svc, run.id, { status: "succeeded", path: result.path, size: BigInt(result.size) });
          await prune(svc, job, t);
          return result;
        } catch (err) {
          await settle(svc, run.id, { status: "failed", error: err instanceof Error ? err.message : String(err) });
          throw err;
        }
      },
    });
    await svc.db.jobRun.update({ where: { id: run.id }, data: { taskId: r.task.id } });
  } catch (err) {
    // Refused before the call (host offline, VM busy with another task).
    await settle(svc, run.id, { status: "failed", error: err instanceof Error ? err.message : String(err) });
  }
}
