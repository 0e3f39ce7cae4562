// The job scheduler: every few seconds, for each job not paused, the latest cron slot that
// is due (in the job's time zone, not before the job was last changed) is claimed for each
// of its VMs by inserting a JobRun row, and the claims this server wins run as tasks. Only
// the LATEST due slot is ever tried, so slots missed while every server was down run once,
// as one run, at the next start, never one run per missed slot. The unique key makes two
// servers (or two ticks) on one database run a slot once.
import type { BackupJob, User } from "../db/client";
import type { Services } from "../services";
import type { Clock } from "./clock";
import { claim, execute, targetsOf } from "./job-run";
import { latestSlot } from "./schedule";

const ACTIVE = ["queued", "running"];
/** A claim whose task never got created (its server died in between) is failed after this. */
const ORPHAN_MS = 60_000;

export class JobScheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(
    private readonly svc: () => Services,
    readonly now: Clock,
    private readonly tickMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass: runs left "running" by tasks that ended are settled, then due slots claimed. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.settleEnded();
      const jobs = await this.svc().db.backupJob.findMany({ where: { paused: false } });
      const now = this.now();
      for (const job of jobs) {
        const slot = latestSlot(job.cron, job.timeZone, now, job.updatedAt);
        if (slot) await this.runSlot(job, slot.toISOString());
      }
    } catch (err) {
      console.error("[jobs] tick failed:", (err as Error).message);
    } finally {
      this.ticking = false;
    }
  }

  /** Claims `slot` of `job` for each of its VMs whose host is connected here, and runs the claims won. */
  async runSlot(job: BackupJob, slot: string): Promise<number> {
    const svc = this.svc();
    let started = 0;
    for (const t of await targetsOf(svc, job)) {
      // Another server holds this host's agent: the claim is left to it.
      if (!svc.hub.isLocal(t.hostId)) continue;
      if (await svc.db.jobRun.findUnique({ where: { jobId_slot_target: { jobId: job.id, slot, target: t.uuid } } })) continue;
      const run = await claim(svc, job, slot, t);
      if (!run) continue;
      console.log(`[jobs] ${job.name}: slot ${slot} for ${t.name} claimed`);
      const user = await this.runAs(job);
      if (!user) {
        await svc.db.jobRun.update({
          where: { id: run.id },
          data: { status: "failed", error: "the job's creator no longer exists and no admin does", finishedAt: new Date() },
        });
        continue;
      }
      await execute(svc, job, run, t, user);
      started++;
    }
    return started;
  }

  /** Tasks run in the name of the job's creator (for the audit log), else of the oldest admin. */
  private async runAs(job: BackupJob): Promise<User | null> {
    const db = this.svc().db;
    const creator = job.createdBy ? await db.user.findUnique({ where: { id: job.createdBy } }) : null;
    return creator ?? db.user.findFirst({ where: { role: "admin", disabledAt: null }, orderBy: { createdAt: "asc" } });
  }

  /**
   * A run whose task ended without the run hearing of it (the server restarted mid-run: its
   * task became unknown, then failed) takes the task's outcome; a claim that never got a
   * task is failed once it is old enough that no server is still starting it.
   */
  private async settleEnded(): Promise<void> {
    const db = this.svc().db;
    const open = await db.jobRun.findMany({ where: { status: "running" } });
    if (!open.length) return;
    const tasks = new Map(
      (await db.task.findMany({ where: { id: { in: open.flatMap((r) => (r.taskId ? [r.taskId] : [])) } } })).map((t) => [t.id, t]),
    );
    for (const r of open) {
      const t = r.taskId ? tasks.get(r.taskId) : undefined;
      if (t && ACTIVE.includes(t.status)) continue;
      if (!t && Date.now() - r.startedAt.getTime() < ORPHAN_MS) continue;
      const error = t ? (t.error ?? `the task ended ${t.status}`) : "the run was claimed but its task never started (server stopped)";
      const status = t?.status === "succeeded" ? "succeeded" : "failed";
      await db.jobRun.updateMany({
        where: { id: r.id, status: "running" },
        data: { status, error: status === "failed" ? error : null, finishedAt: new Date() },
      });
    }
  }
}
