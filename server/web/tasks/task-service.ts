// Durable tasks: every action is a Task row created before the agent is called and updated
// from the result. An Idempotency-Key makes a retried POST return the same task; one action
// at a time per VM; tasks whose agent vanished become "unknown" and are reconciled from the
// inventory when it returns.
import { ACTION_RESULT_STATE, type DomainAction, type DomainSummary, type TaskRow } from "../../protocol";
import type { Db, Task, User } from "../db/client";
import type { EventBus } from "../events/bus";
import type { AgentHub } from "../agents/hub";
import { isAgentCallError } from "../agents/agent-connection";
import { ApiError, type ErrorCode } from "../http/errors";
import { AGENT_ERROR_STATUS } from "../http/agent-errors";
import { audit } from "../audit";

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

export interface DomainActionRequest {
  user: User;
  ip: string;
  hostId: string;
  uuid: string;
  action: DomainAction;
  removeStorage?: boolean;
  enabled?: boolean;
  idempotencyKey: string | null;
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
  targetType: "vm" | "container" | "image" | "host";
  targetId: string;
  targetName: string;
  idempotencyKey: string | null;
  input: unknown;
  call: () => Promise<unknown>;
  /** What to keep of a successful result (e.g. a new container's id). */
  describe?: (result: unknown) => unknown;
  inlineWaitMs?: number;
}

export class TaskService {
  /** target → task id; guards the check-then-create window inside this process. */
  private readonly locks = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly hub: AgentHub,
  ) {
    hub.hooks.onDisconnect = (hostId) => void this.markUnknown(hostId);
    hub.hooks.onInventory = (hostId, domains) => void this.reconcile(hostId, domains);
  }

  async list(limit: number): Promise<TaskRow[]> {
    const rows = await this.db.task.findMany({ orderBy: { createdAt: "desc" }, take: limit, include: { user: { select: { username: true } } } });
    return rows.map(taskRow);
  }

  /** Returns the task and whether it is finished (200) or still running (202). */
  async domainAction(r: DomainActionRequest): Promise<{ task: TaskRow; done: boolean; replay: boolean }> {
    const domain = this.hub.domain(r.hostId, r.uuid);
    const replay = await this.replay(r.user, r.idempotencyKey);
    if (replay) return replay;
    if (!domain) throw new ApiError("not_found", `No machine ${r.uuid} on this host`, { uuid: "unknown machine" });
    return this.run({
      user: r.user,
      ip: r.ip,
      hostId: r.hostId,
      kind: `vm.${r.action}`,
      targetType: "vm",
      targetId: r.uuid,
      targetName: domain.name,
      idempotencyKey: r.idempotencyKey,
      input: { action: r.action, removeStorage: r.removeStorage, enabled: r.enabled },
      call: () => this.hub.call(r.hostId, "domain.action", { uuid: r.uuid, action: r.action, removeStorage: r.removeStorage, enabled: r.enabled }, 120_000),
    });
  }

  /** The earlier task for a retried request with the same Idempotency-Key. */
  async replay(user: User, key: string | null): Promise<{ task: TaskRow; done: boolean; replay: true } | null> {
    if (!key) return null;
    const prior = await this.db.task.findUnique({ where: { userId_idempotencyKey: { userId: user.id, idempotencyKey: key } }, include: { user: { select: { username: true } } } });
    return prior ? { task: taskRow(prior), done: !["queued", "running"].includes(prior.status), replay: true } : null;
  }

  /**
   * Runs one agent call as a durable task: one at a time per target, audited, answered
   * inline when it finishes within `inlineWaitMs` (a fast refusal becomes the HTTP error),
   * else 202 with completion by event.
   */
  async run(t: TaskSpec): Promise<{ task: TaskRow; done: boolean; replay: boolean; result?: unknown }> {
    const prior = await this.replay(t.user, t.idempotencyKey);
    if (prior) return prior;
    if (!this.hub.isOnline(t.hostId)) throw new ApiError("unavailable", "The host is offline: its agent is not connected");
    const lockKey = `${t.hostId}/${t.targetType}/${t.targetId}`;
    const held = this.locks.get(lockKey);
    const running = held ? await this.db.task.findUnique({ where: { id: held } }) : await this.db.task.findFirst({ where: { targetType: t.targetType, targetId: t.targetId, hostId: t.hostId, status: { in: ["queued", "running"] } } });
    if (running && ["queued", "running"].includes(running.status)) {
      throw new ApiError("conflict", `${t.targetName} is busy with task ${running.id} (${running.kind}); wait for it to finish`, { task: running.id });
    }
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
        idempotencyKey: t.idempotencyKey,
        inputJson: JSON.stringify(t.input),
      },
      include: { user: { select: { username: true } } },
    });
    this.locks.set(lockKey, task.id);
    this.bus.publish({ type: "task.upsert", task: taskRow(task) });

    let result: unknown;
    const outcome = t
      .call()
      .then(
        (r) => {
          result = r;
          return this.finish(task.id, "succeeded", null, t.describe?.(r));
        },
        (err: unknown) => this.finish(task.id, isAgentCallError(err) && err.code === "offline" ? "unknown" : "failed", err),
      )
      .finally(() => {
        if (this.locks.get(lockKey) === task.id) this.locks.delete(lockKey);
      });
    void audit(this.db, { actor: t.user.username, userId: t.user.id, action: t.kind, target: `${t.targetName} (${t.targetId})`, outcome: "success", ip: t.ip, details: { taskId: task.id } });

    const finished = await Promise.race([outcome, new Promise<null>((res) => setTimeout(() => res(null), t.inlineWaitMs ?? INLINE_WAIT_MS))]);
    if (!finished) return { task: taskRow(task), done: false, replay: false };
    if (finished.status === "failed" && finished.errorCode) {
      const code = inlineStatus(finished.errorCode);
      if (code) throw new ApiError(code, finished.row.error ?? "action failed", { task: finished.row.id });
    }
    return { task: finished.row, done: true, replay: false, result };
  }

  private async finish(id: string, status: "succeeded" | "failed" | "unknown", err: unknown, result?: unknown): Promise<{ row: TaskRow; status: string; errorCode: string | null }> {
    const message = err instanceof Error ? err.message : err ? String(err) : null;
    const t = await this.db.task.update({
      where: { id },
      data: { status, error: message, finishedAt: status === "unknown" ? null : new Date(), ...(result !== undefined ? { resultJson: JSON.stringify(result) } : {}) },
      include: { user: { select: { username: true } } },
    });
    const row = taskRow(t);
    this.bus.publish({ type: "task.upsert", task: row });
    return { row, status, errorCode: isAgentCallError(err) ? err.code : null };
  }

  private async markUnknown(hostId: string): Promise<void> {
    const rows = await this.db.task.findMany({ where: { hostId, status: { in: ["queued", "running"] } }, include: { user: { select: { username: true } } } });
    for (const t of rows) {
      const u = await this.db.task.update({ where: { id: t.id }, data: { status: "unknown", error: "The agent disconnected before the result arrived" }, include: { user: { select: { username: true } } } });
      this.bus.publish({ type: "task.upsert", task: taskRow(u) });
    }
  }

  /** Settles unknown tasks from the true state the agent reports after reconnecting. */
  private async reconcile(hostId: string, domains: Map<string, DomainSummary>): Promise<void> {
    const rows = await this.db.task.findMany({ where: { hostId, status: "unknown", targetType: "vm" } });
    for (const t of rows) {
      const action = t.kind.replace(/^vm\./, "") as DomainAction;
      const want = ACTION_RESULT_STATE[action];
      const d = domains.get(t.targetId);
      const now = d ? d.state : "gone";
      const ok = want !== null && now === want;
      const u = await this.db.task.update({
        where: { id: t.id },
        data: {
          status: ok ? "succeeded" : "failed",
          error: ok ? null : `Agent reconnected; result unconfirmed (machine is now ${now})`,
          finishedAt: new Date(),
          resultJson: JSON.stringify({ reconciled: true, state: now }),
        },
        include: { user: { select: { username: true } } },
      });
      this.bus.publish({ type: "task.upsert", task: taskRow(u) });
    }
  }
}
