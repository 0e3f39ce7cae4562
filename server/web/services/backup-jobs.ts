// Backup and snapshot jobs: the verbs behind /api/backup-jobs. Jobs and their runs live in
// the database; the scheduler (jobs/scheduler.ts) claims and runs their slots; run now uses
// the same claim with a "manual-<time>" slot; a restore is a task defining a new VM.
import { z } from "zod";
import { DomainName, HostDir, type BackupJobRow, type JobRunRow } from "../../protocol";
import type { BackupJob, JobRun } from "../db/client";
import type { Services } from "../services";
import type { Caller } from "./caller";
import { ApiError } from "../http/errors";
import { audit } from "../audit";
import { cronProblem, nextSlots } from "../jobs/schedule";
import { Retention } from "../jobs/retention";
import { BACKUP_TIMEOUT_MS } from "../jobs/job-run";

const JobFields = {
  name: z.string().trim().min(1).max(100),
  kind: z.enum(["snapshot", "backup"]),
  target: z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("vm"), hostId: z.string().min(1).max(64), uuid: z.string().uuid() }),
    z.strictObject({ type: z.literal("host"), hostId: z.string().min(1).max(64) }),
    z.strictObject({ type: z.literal("tag"), tag: z.string().min(1).max(64) }),
  ]),
  cron: z.string().trim().min(1).max(200),
  timeZone: z.string().min(1).max(64),
  retention: Retention,
  destination: HostDir,
  paused: z.boolean(),
};
export const JobBody = z.strictObject({
  ...JobFields,
  timeZone: JobFields.timeZone.default("UTC"),
  retention: Retention.default({}),
  destination: HostDir.optional(),
  paused: z.boolean().default(false),
});
export type JobBody = z.infer<typeof JobBody>;
// No defaults: a field left out of a PATCH keeps its value.
export const JobPatch = z.strictObject(JobFields).partial();
export const RestoreBody = z.strictObject({ name: DomainName, start: z.boolean().default(false) });

function runRow(r: JobRun): JobRunRow {
  return {
    ...r,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    size: r.size === null ? null : Number(r.size),
  };
}

function targetOf(j: BackupJob): JobBody["target"] {
  if (j.targetType === "vm") {
    const [hostId = "", uuid = ""] = j.targetId.split("/");
    return { type: "vm", hostId, uuid };
  }
  return j.targetType === "host" ? { type: "host", hostId: j.targetId } : { type: "tag", tag: j.targetId };
}

function describeTarget(svc: Services, t: JobBody["target"]): string {
  if (t.type === "vm") return svc.hub.domain(t.hostId, t.uuid)?.name ?? t.uuid;
  return t.type === "host" ? `host ${t.hostId}` : `tag ${t.tag}`;
}

function jobRow(svc: Services, j: BackupJob, last: JobRun | null): BackupJobRow {
  const target = targetOf(j);
  return {
    id: j.id,
    name: j.name,
    kind: j.kind,
    target,
    targetName: describeTarget(svc, target),
    cron: j.cron,
    timeZone: j.timeZone,
    retention: Retention.parse(JSON.parse(j.retentionJson)),
    destination: j.destination,
    paused: j.paused,
    nextRuns: j.paused ? [] : nextSlots(j.cron, j.timeZone, 3, svc.jobs.now()).map((d) => d.toISOString()),
    lastRun: last ? runRow(last) : null,
  };
}

/** The next runs of a cron in a time zone, for the form's preview; a bad one is a 422 naming the field. */
export function previewCron(svc: Services, cron: string, timeZone: string): { nextRuns: string[] } {
  checkCron(cron, timeZone);
  return { nextRuns: nextSlots(cron, timeZone, 3, svc.jobs.now()).map((d) => d.toISOString()) };
}

function checkCron(cron: string, timeZone: string): void {
  const problem = cronProblem(cron, timeZone);
  if (problem) throw new ApiError("invalid", `cron: ${problem}`, problem.startsWith("unknown time zone") ? { timeZone: problem } : { cron: problem });
}

function checkTarget(svc: Services, b: Pick<JobBody, "kind" | "target" | "destination">): void {
  if (b.kind === "backup" && !b.destination)
    throw new ApiError("invalid", "destination: a backup job needs a directory on the host", { destination: "required for backups" });
  if (b.target.type === "vm" && !svc.hub.domain(b.target.hostId, b.target.uuid))
    throw new ApiError("invalid", `target: no machine ${b.target.uuid} on host ${b.target.hostId}`, { target: "unknown machine" });
}

function data(b: JobBody) {
  const t = b.target;
  return {
    name: b.name,
    kind: b.kind,
    targetType: t.type,
    targetId: t.type === "vm" ? `${t.hostId}/${t.uuid}` : t.type === "host" ? t.hostId : t.tag,
    cron: b.cron,
    timeZone: b.timeZone,
    retentionJson: JSON.stringify(b.retention),
    destination: b.destination ?? "",
    paused: b.paused,
  };
}

async function lastRuns(svc: Services, ids: string[]): Promise<Map<string, JobRun>> {
  const runs = await svc.db.jobRun.findMany({ where: { jobId: { in: ids } }, orderBy: { startedAt: "desc" } });
  const last = new Map<string, JobRun>();
  for (const r of runs) if (!last.has(r.jobId)) last.set(r.jobId, r);
  return last;
}

export async function listJobs(svc: Services): Promise<{ rows: BackupJobRow[] }> {
  const jobs = await svc.db.backupJob.findMany({ orderBy: { name: "asc" } });
  const last = await lastRuns(
    svc,
    jobs.map((j) => j.id),
  );
  return { rows: jobs.map((j) => jobRow(svc, j, last.get(j.id) ?? null)) };
}

async function find(svc: Services, id: string): Promise<BackupJob> {
  const j = await svc.db.backupJob.findUnique({ where: { id } });
  if (!j) throw new ApiError("not_found", `No backup job ${id}`, { id: "unknown job" });
  return j;
}

async function row(svc: Services, j: BackupJob): Promise<BackupJobRow> {
  return jobRow(svc, j, (await lastRuns(svc, [j.id])).get(j.id) ?? null);
}

function audited(svc: Services, caller: Caller, action: string, j: BackupJob, details: Record<string, unknown> = {}) {
  return audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action,
    target: `${j.name} (${j.id})`,
    outcome: "success",
    ip: caller.ip,
    details,
  });
}

export async function createJob(svc: Services, caller: Caller, b: JobBody): Promise<BackupJobRow> {
  checkCron(b.cron, b.timeZone);
  checkTarget(svc, b);
  if (await svc.db.backupJob.findUnique({ where: { name: b.name } }))
    throw new ApiError("conflict", `name: a job named ${b.name} exists`, { name: "taken" });
  const j = await svc.db.backupJob.create({ data: { ...data(b), createdBy: caller.user.id } });
  await audited(svc, caller, "backup.job.create", j, { kind: j.kind, cron: j.cron, timeZone: j.timeZone });
  return row(svc, j);
}

export async function updateJob(svc: Services, caller: Caller, id: string, patch: z.infer<typeof JobPatch>): Promise<BackupJobRow> {
  const j = await find(svc, id);
  const cur: JobBody = {
    name: j.name,
    kind: j.kind === "backup" ? "backup" : "snapshot",
    target: targetOf(j),
    cron: j.cron,
    timeZone: j.timeZone,
    retention: Retention.parse(JSON.parse(j.retentionJson)),
    destination: j.destination || undefined,
    paused: j.paused,
  };
  const next: JobBody = { ...cur, ...patch };
  checkCron(next.cron, next.timeZone);
  if (patch.target || patch.kind || patch.destination) checkTarget(svc, next);
  if (next.name !== j.name && (await svc.db.backupJob.findUnique({ where: { name: next.name } })))
    throw new ApiError("conflict", `name: a job named ${next.name} exists`, { name: "taken" });
  // updatedAt moves: a slot before this change is never run (no catch-up after a resume or an edit).
  const u = await svc.db.backupJob.update({ where: { id }, data: data(next) });
  await audited(
    svc,
    caller,
    patch.paused === undefined || Object.keys(patch).length > 1 ? "backup.job.update" : patch.paused ? "backup.job.pause" : "backup.job.resume",
    u,
    patch,
  );
  return row(svc, u);
}

export async function deleteJob(svc: Services, caller: Caller, id: string): Promise<void> {
  const j = await find(svc, id);
  // The runs go with it; the backups on the hosts stay (deleting data is not implied by deleting a schedule).
  await svc.db.backupJob.delete({ where: { id } });
  await audited(svc, caller, "backup.job.delete", j);
}

export async function listRuns(svc: Services, id: string, limit: number): Promise<{ rows: JobRunRow[] }> {
  await find(svc, id);
  const runs = await svc.db.jobRun.findMany({ where: { jobId: id }, orderBy: { startedAt: "desc" }, take: limit });
  return { rows: runs.map(runRow) };
}

/** Runs the job now for each of its VMs (a "manual-<time>" slot, claimed like a scheduled one). */
export async function runNow(svc: Services, caller: Caller, id: string): Promise<{ rows: JobRunRow[] }> {
  const j = await find(svc, id);
  const slot = `manual-${new Date().toISOString()}`;
  const n = await svc.jobs.runSlot(j, slot);
  await audited(svc, caller, "backup.job.run", j, { slot, runs: n });
  const runs = await svc.db.jobRun.findMany({ where: { jobId: id, slot } });
  return { rows: runs.map(runRow) };
}

export async function restoreRun(svc: Services, caller: Caller, runId: string, b: z.infer<typeof RestoreBody>, idempotencyKey: string | null) {
  const run = await svc.db.jobRun.findUnique({ where: { id: runId }, include: { job: true } });
  if (!run) throw new ApiError("not_found", `No backup run ${runId}`, { id: "unknown run" });
  if (run.job.kind !== "backup" || run.status !== "succeeded" || !run.path)
    throw new ApiError("conflict", `run: only a kept backup can be restored (this run is a ${run.job.kind}, ${run.status})`, { run: run.status });
  const path = run.path;
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: run.hostId,
    kind: "vm.restore",
    targetType: "vm",
    // Aimed at the new name, like a create: no uuid exists yet.
    targetId: b.name,
    targetName: b.name,
    idempotencyKey,
    input: { run: run.id, from: run.targetName, path, start: b.start },
    timeoutMs: BACKUP_TIMEOUT_MS,
    call: (timeoutMs, taskId) =>
      svc.hub.call(run.hostId, "backup.restore", { path, name: b.name, start: b.start }, timeoutMs, {
        onProgress: (done, total) => svc.tasks.progress(taskId, done, total),
      }),
    describe: (r) => ({ uuid: (r as { domain: { uuid: string } }).domain.uuid }),
    retarget: (r) => (r as { domain: { uuid: string } }).domain.uuid,
  });
}
