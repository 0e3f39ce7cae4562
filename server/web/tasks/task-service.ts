// Durable tasks: every action is a Task row created before the agent is called and updated
// from the result. An Idempotency-Key makes a retried POST return the same task; one action
// at a time per target. A task whose result cannot arrive (agent gone, server restarted,
// deadline passed) becomes "unknown" and is settled from the state its agent reports
// (reconcile.ts); a task never blocks its target past its deadline.
import type { TaskRow } from "../../protocol";
import type { Db, Task, User } from "../db/client";
import type { EventBus } from "../events/bus";
import { taskAudience, type Audience } from "../events/audience";
import type { AgentHub } from "../agents/hub";
import { isAgentCallError } from "../agents/agent-connection";
import { ApiError, type ErrorCode } from "../http/errors";
import { AGENT_ERROR_STATUS } from "../http/agent-errors";
import { audit } from "../audit";
import { verdict, type Observed } from "./reconcile";

type TaskWithUser = Task & { user: { username: string } | null };

export function taskRow(t: TaskWithUser): TaskRow {
  return {
    id: t.id,
    kind: t.kind,
    targetType: t.targetType,
    targetId: t.targetId,
    targetName: t.targetName,
    hostId: t.hostId,
    user: t.user?.username ?? null,
    status: t.status as TaskRow["status"],
    error: t.error,
    createdAt: t.createdAt.toISOString(),
    startedAt: t.startedAt?.toISOString() ?? null,
    finishedAt: t.finishedAt?.toISOString() ?? null,
  };
}

/** How long a POST waits for the agent before answering 202 (completion then by event). */
const INLINE_WAIT_MS = 2000;

/**
 * Refusals that come back inline become the HTTP error (the shared agent-error statuses);
 * an engine's own refusal (bad command, bad option) is the request's fault here: a 400.
 * Offline and timeouts are not refusals: the task is answered as it stands.
 */
const INLINE_REFUSALS = new Set(["invalid_state", "conflict", "not_found", "invalid_input", "engine_unavailable"]);
function inlineStatus(code: string): ErrorCode | null {
  if (code === "engine_error") return "bad_request";
  return INLINE_REFUSALS.has(code) ? (AGENT_ERROR_STATUS[code as keyof typeof AGENT_ERROR_STATUS] ?? null) : null;
}

export interface TaskSpec {
  user: User;
  ip: string;
  hostId: string;
  kind: string;
  targetType: "vm" | "container" | "image" | "host" | "pool" | "volume" | "network";
  targetId: string;
  targetName: string;
  idempotencyKey: string | null;
  input: unknown;
  /**
   * The agent call, given how long it may take, the task's id (for progress events) and a
   * signal that aborts when the task is cancelled (only for `cancellable` tasks).
   */
  call: (timeoutMs: number, taskId: string, signal: AbortSignal) => Promise<unknown>;
  /** POST /api/tasks/<id>/cancel may stop it: the call honours `signal` and cleans up. */
  cancellable?: boolean;
  /** How long the call may take (default: the configured action timeout); the deadline follows from it. */
  timeoutMs?: number;
  /** What to keep of a successful result (e.g. a new container's id). */
  describe?: (result: unknown) => unknown;
  /** The target's real id once the result has it (a created VM's uuid; targetId was its name). */
  retarget?: (result: unknown) => string;
  inlineWaitMs?: number;
}

/** Past the call's own timeout, before a task stops blocking its target whatever happened. */
const DEADLINE_GRACE_MS = 15_000;
const SWEEP_MS = 10_000;
const ACTIVE = ["queued", "running"];
const withUser = { user: { select: { username: true } } } as const;

/** This server among its peers (cluster/server-registry.ts). */
export interface TaskOwner {
  serverId: string;
  live: () => Promise<string[]>;
}

export class TaskService {
  /** target → task id; guards the check-then-create window inside this process. */
  private readonly locks = new Map<string, string>();
  /** target → the claim in progress: two requests never check and create at once. */
  private readonly claiming = new Map<string, Promise<void>>();
  private sweeper: NodeJS.Timeout | null = null;
  /** Cancellable tasks running in this process: task id → how to stop it, and who did. */
  private readonly cancels = new Map<string, { ctl: AbortController; hostId: string; by: string | null }>();
  /** Who may see the progress of a task in flight (its events carry the task's id only). */
  private readonly audiences = new Map<string, Audience>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly hub: AgentHub,
    /** How long an action may take when its spec does not say (config actionTimeoutMs). */
    private readonly defaultTimeoutMs = 120_000,
    /** With peers on one PostgreSQL: this server, and which servers are alive. */
    private readonly owner: TaskOwner | null = null,
  ) {}

  /**
   * At server start: no task can still be running in this process, so every one left
   * queued or running is unknown until its agent reports the true state. Then a sweep
   * keeps any task from outliving its deadline.
   */
  async start(): Promise<number> {
    // With peers, only the tasks of servers that are gone: the live ones still run theirs.
    const orphaned = this.owner ? { OR: [{ serverId: null }, { serverId: { notIn: await this.owner.live() } }] } : {};
    const n = await this.settleUnknown({ status: { in: ACTIVE }, ...orphaned }, "The server restarted before the result arrived");
    this.sweeper = setInterval(() => void this.sweep().catch((err: unknown) => console.error("[tasks] sweep failed:", err)), SWEEP_MS);
    this.sweeper.unref();
    return n;
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Servers that stopped beating: their tasks in flight can no longer be confirmed. */
  async serversDead(ids: string[]): Promise<void> {
    // Unknown ones too: every survivor runs this, and the one that settles them first may
    // not hold the agent, which may already have reconnected to this server (whose
    // inventory then came before the tasks were unknown, so nothing else would judge them).
    const rows = await this.db.task.findMany({
      where: { serverId: { in: ids }, OR: [{ status: { in: ACTIVE } }, { status: "unknown", finishedAt: null }] },
      select: { id: true, hostId: true },
    });
    if (!rows.length) return;
    await this.settleUnknown({ id: { in: rows.map((r) => r.id) }, status: { in: ACTIVE } }, "The server running it stopped answering");
    for (const hostId of new Set(rows.map((t) => t.hostId)))
      if (hostId && this.hub.isOnline(hostId)) await this.reconcile(hostId, this.observed(hostId));
  }

  /** The agent went away: tasks in flight on it can no longer be confirmed. */
  async hostOffline(hostId: string): Promise<void> {
    await this.settleUnknown({ hostId, status: { in: ACTIVE } }, "The agent disconnected before the result arrived");
  }

  /**
   * The newest `limit` tasks, or with `keep` the newest `limit` of those it keeps (a caller
   * scoped to a few VMs: read in pages until enough are kept or none are left).
   */
  async list(limit: number, keep?: (t: Task) => boolean): Promise<TaskRow[]> {
    if (!keep) return (await this.db.task.findMany({ orderBy: { createdAt: "desc" }, take: limit, include: withUser })).map(taskRow);
    const out: TaskRow[] = [];
    const PAGE = 1000;
    for (let skip = 0; out.length < limit; skip += PAGE) {
      const rows = await this.db.task.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip, take: PAGE, include: withUser });
      for (const r of rows) if (out.length < limit && keep(r)) out.push(taskRow(r));
      if (rows.length < PAGE) break;
    }
    return out;
  }

  /** How far a running task is (bytes of an upload): a live event only, nothing stored. */
  progress(taskId: string, done: number, total: number | null): void {
    // A task not (or no longer) in flight here: fleet-wide task readers only.
    this.bus.transient({ type: "task.progress", taskId, done, total }, this.audiences.get(taskId) ?? { kind: "fleet", permission: "task.read" });
  }

  /**
   * Asks a running cancellable task to stop. Answers at once (the task ends, "failed" with
   * who cancelled it, when its agent has stopped and cleaned up: task.upsert tells).
   * `allowed` checks the caller's permission on the task's host.
   */
  async cancel(taskId: string, user: User, ip: string, allowed: (hostId: string) => boolean): Promise<TaskRow> {
    const t = await this.db.task.findUnique({ where: { id: taskId }, include: withUser });
    if (!t) throw new ApiError("not_found", `task: no task ${taskId}`, { task: "unknown" });
    if (!t.hostId || !allowed(t.hostId)) throw new ApiError("forbidden", "You may not cancel this task");
    const running = this.cancels.get(taskId);
    // Run by another live server (its browser asked there): that server holds the signal.
    const elsewhere = !running && ACTIVE.includes(t.status) && t.serverId && t.serverId !== this.owner?.serverId && this.peerCancel;
    if (!running && !(elsewhere && (await this.peerCancel!(t.serverId!, taskId, user.username)))) {
      const why = ACTIVE.includes(t.status) ? `a ${t.kind} task cannot be cancelled` : `the task already ended (${t.status})`;
      throw new ApiError("conflict", `task: ${why}`, { task: why });
    }
    if (elsewhere || this.cancelHere(taskId, user.username)) {
      void audit(this.db, {
        actor: user.username,
        userId: user.id,
        action: "task.cancel",
        target: `${t.targetName} (${t.kind} ${t.id})`,
        outcome: "success",
        ip,
        details: { taskId },
      });
    }
    return taskRow(t);
  }

  /** How a cancel reaches the server running a task (set when clustered; false: not running there). */
  forwardCancels(fn: (serverId: string, taskId: string, by: string) => Promise<boolean>): void {
    this.peerCancel = fn;
  }

  private peerCancel: ((serverId: string, taskId: string, by: string) => Promise<boolean>) | null = null;

  /** Stops a cancellable task running here; false when none is (or it was already stopped). */
  cancelHere(taskId: string, by: string): boolean {
    const running = this.cancels.get(taskId);
    if (!running || running.ctl.signal.aborted) return false;
    running.by = by;
    running.ctl.abort();
    return true;
  }

  /** A call that failed after its task was cancelled ends with who cancelled it. */
  private cancelled(taskId: string, err: unknown): unknown {
    const c = this.cancels.get(taskId);
    if (!c?.ctl.signal.aborted) return err;
    return new Error(`Cancelled by ${c.by ?? "a user"}: ${err instanceof Error ? err.message : String(err)}`);
  }

  /** The earlier task for a retried request with the same Idempotency-Key. */
  async replay(user: User, key: string | null): Promise<{ task: TaskRow; done: boolean; replay: true } | null> {
    if (!key) return null;
    const prior = await this.db.task.findUnique({ where: { userId_idempotencyKey: { userId: user.id, idempotencyKey: key } }, include: withUser });
    return prior ? { task: taskRow(prior), done: !ACTIVE.includes(prior.status), replay: true } : null;
  }

  /**
   * Runs one agent call as a durable task: one at a time per target, audited, answered
   * inline when it finishes within `inlineWaitMs` (a fast refusal becomes the HTTP error),
   * else 202 with completion by event.
   */
  async run(t: TaskSpec): Promise<{ task: TaskRow; done: boolean; replay: boolean; result?: unknown }> {
    const lockKey = `${t.hostId}/${t.targetType}/${t.targetId}`;
    const claimed = await this.serially(lockKey, () => this.claim(t, lockKey));
    if ("replay" in claimed) return claimed;
    const { task, timeoutMs } = claimed;
    this.audiences.set(task.id, taskAudience(task));
    this.publish(task);

    let result: unknown;
    const ctl = new AbortController();
    if (t.cancellable) this.cancels.set(task.id, { ctl, hostId: t.hostId, by: null });
    const outcome = t
      .call(timeoutMs, task.id, ctl.signal)
      .then(
        (r) => {
          result = r;
          return this.finish(task.id, "succeeded", null, t.describe?.(r), t.retarget?.(r));
        },
        (err: unknown) => this.failed(task.id, t, this.cancelled(task.id, err)),
      )
      .finally(() => {
        this.cancels.delete(task.id);
        this.audiences.delete(task.id);
        if (this.locks.get(lockKey) === task.id) this.locks.delete(lockKey);
      });
    void audit(this.db, {
      actor: t.user.username,
      userId: t.user.id,
      action: t.kind,
      target: `${t.targetName} (${t.targetId})`,
      outcome: "success",
      ip: t.ip,
      details: { taskId: task.id },
    });

    const finished = await Promise.race([outcome, new Promise<null>((res) => setTimeout(() => res(null), t.inlineWaitMs ?? INLINE_WAIT_MS))]);
    if (!finished) return { task: taskRow(task), done: false, replay: false };
    if (finished.status === "failed" && finished.errorCode) {
      const code = inlineStatus(finished.errorCode);
      if (code) throw new ApiError(code, finished.row.error ?? "action failed", { task: finished.row.id });
    }
    return { task: finished.row, done: true, replay: false, result };
  }

  private async finish(
    id: string,
    status: "succeeded" | "failed" | "unknown",
    err: unknown,
    result?: unknown,
    targetId?: string,
  ): Promise<{ row: TaskRow; status: string; errorCode: string | null }> {
    const message = err instanceof Error ? err.message : err ? String(err) : null;
    const t = await this.db.task.update({
      where: { id },
      data: {
        status,
        error: message,
        finishedAt: status === "unknown" ? null : new Date(),
        ...(result !== undefined ? { resultJson: JSON.stringify(result) } : {}),
        ...(targetId !== undefined ? { targetId } : {}),
      },
      include: withUser,
    });
    const row = this.publish(t);
    return { row, status, errorCode: isAgentCallError(err) ? err.code : null };
  }

  /**
   * Check-then-create for one target, one request at a time per target (see serially), so
   * two requests never both pass the busy check: a retry finds its own task, a second
   * action finds the first one's and gets 409.
   */
  private async claim(t: TaskSpec, lockKey: string) {
    const prior = await this.replay(t.user, t.idempotencyKey);
    if (prior) return prior;
    if (!this.hub.isOnline(t.hostId)) throw new ApiError("unavailable", "The host is offline: its agent is not connected");
    const held = this.locks.get(lockKey);
    const running = held
      ? await this.db.task.findUnique({ where: { id: held } })
      : await this.db.task.findFirst({ where: { targetType: t.targetType, targetId: t.targetId, hostId: t.hostId, status: { in: ACTIVE } } });
    if (running && ACTIVE.includes(running.status)) {
      // A task past its deadline (its server died, or its call never returned) no longer
      // holds the target: it is settled as unknown and the new one goes ahead.
      if (running.deadlineAt && running.deadlineAt.getTime() < Date.now()) await this.expire([running]);
      else
        throw new ApiError("conflict", `${t.targetName} is busy with task ${running.id} (${running.kind}); wait for it to finish`, {
          task: running.id,
        });
    }
    const timeoutMs = t.timeoutMs ?? this.defaultTimeoutMs;
    const task = await this.db.task.create({
      data: {
        kind: t.kind,
        targetType: t.targetType,
        targetId: t.targetId,
        targetName: t.targetName,
        hostId: t.hostId,
        userId: t.user.id,
        status: "running",
        startedAt: new Date(),
        deadlineAt: new Date(Date.now() + timeoutMs + DEADLINE_GRACE_MS),
        idempotencyKey: t.idempotencyKey,
        inputJson: JSON.stringify(t.input),
        serverId: this.owner?.serverId ?? null,
      },
      include: withUser,
    });
    this.locks.set(lockKey, task.id);
    return { task, timeoutMs };
  }

  /** Runs `job` once every earlier job of the same key has settled (a per-key mutex). */
  private async serially<T>(key: string, job: () => Promise<T>): Promise<T> {
    const before = this.claiming.get(key) ?? Promise.resolve();
    const mine = before.then(job);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.claiming.set(key, settled);
    try {
      return await mine;
    } finally {
      if (this.claiming.get(key) === settled) this.claiming.delete(key);
    }
  }

  /**
   * The call failed. Offline and timeout say nothing about what the agent did: the task is
   * unknown and judged from the state its agent reports now (or when it is back).
   */
  private async failed(id: string, t: TaskSpec, err: unknown): Promise<Awaited<ReturnType<TaskService["finish"]>>> {
    if (!isAgentCallError(err) || (err.code !== "offline" && err.code !== "timeout")) return this.finish(id, "failed", err);
    const r = await this.finish(id, "unknown", err);
    if (this.hub.isOnline(t.hostId)) await this.reconcile(t.hostId, this.observed(t.hostId));
    return r;
  }

  /** What the hub holds for a host now, for judging its unknown tasks. */
  private observed(hostId: string): Observed {
    return { domains: this.hub.domains(hostId), containers: this.hub.containerMap(hostId) };
  }

  /** Tasks past their deadline become unknown (judged at once when their host is online). */
  private async sweep(): Promise<void> {
    const late = await this.db.task.findMany({
      where: { status: { in: ACTIVE }, deadlineAt: { lt: new Date() } },
      select: { id: true, hostId: true },
    });
    if (late.length) await this.expire(late);
  }

  private async expire(tasks: { id: string; hostId: string | null }[]): Promise<void> {
    await this.settleUnknown({ id: { in: tasks.map((t) => t.id) }, status: { in: ACTIVE } }, "No result arrived before the task's deadline");
    for (const hostId of new Set(tasks.map((t) => t.hostId)))
      if (hostId && this.hub.isOnline(hostId)) await this.reconcile(hostId, this.observed(hostId));
  }

  private async settleUnknown(where: NonNullable<Parameters<Db["task"]["findMany"]>[0]>["where"], error: string): Promise<number> {
    const rows = await this.db.task.findMany({ where, select: { id: true } });
    for (const { id } of rows) {
      // Only a task still active is changed: a result that arrived meanwhile wins.
      const n = await this.db.task.updateMany({ where: { id, status: { in: ACTIVE } }, data: { status: "unknown", error, finishedAt: null } });
      if (n.count) this.publish(await this.db.task.findUniqueOrThrow({ where: { id }, include: withUser }));
    }
    return rows.length;
  }

  /**
   * Settles the host's unknown tasks from the true state its agent reports (after a
   * reconnect, a libvirtd or engine restart, or at once for a timeout). A task is judged
   * only by what is observed: machines from the domain inventory, containers from theirs.
   */
  async reconcile(hostId: string, observed: Observed): Promise<void> {
    const rows = await this.db.task.findMany({ where: { hostId, status: "unknown", finishedAt: null } });
    for (const t of rows) {
      const v = verdict(t, observed);
      if (!v) continue;
      const u = await this.db.task.update({
        where: { id: t.id },
        data: { status: v.status, error: v.error ?? null, finishedAt: new Date(), resultJson: JSON.stringify({ reconciled: true, state: v.state }) },
        include: withUser,
      });
      this.publish(u);
    }
  }

  /** A task row changed: to whoever may read its target, and to the user who started it. */
  private publish(t: TaskWithUser): TaskRow {
    const row = taskRow(t);
    this.bus.publish({ type: "task.upsert", task: row }, taskAudience(t));
    return row;
  }
}
