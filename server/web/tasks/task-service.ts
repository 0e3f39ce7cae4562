// Durable tasks: every action is a Task row created before the agent is called and updated
// from the result. An Idempotency-Key makes a retried POST return the same task; one action
// at a time per VM; tasks whose agent vanished become "unknown" and are reconciled from the
// inventory when it returns.
import { ACTION_RESULT_STATE, type DomainAction, type DomainSummary, type TaskRow } from "../../protocol";
import type { Db, Task, User } from "../db/client";
import type { EventBus } from "../events/bus";
import type { AgentHub } from "../agents/hub";
import { isAgentCallError } from "../agents/agent-connection";
import { ApiError } from "../http/errors";
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
    if (r.idempotencyKey) {
      const prior = await this.db.task.findUnique({ where: { userId_idempotencyKey: { userId: r.user.id, idempotencyKey: r.idempotencyKey } }, include: { user: { select: { username: true } } } });
      if (prior) return { task: taskRow(prior), done: !["queued", "running"].includes(prior.status), replay: true };
    }
    const domain = this.hub.domain(r.hostId, r.uuid);
    if (!domain) throw new ApiError("not_found", `No machine ${r.uuid} on this host`, { uuid: "unknown machine" });
    if (!this.hub.isOnline(r.hostId)) throw new ApiError("unavailable", "The host is offline: its agent is not connected");
    const lockKey = `${r.hostId}/${r.uuid}`;
    const held = this.locks.get(lockKey);
    const running = held ? await this.db.task.findUnique({ where: { id: held } }) : await this.db.task.findFirst({ where: { targetType: "vm", targetId: r.uuid, hostId: r.hostId, status: { in: ["queued", "running"] } } });
    if (running && ["queued", "running"].includes(running.status)) {
      throw new ApiError("conflict", `${domain.name} is busy with task ${running.id} (${running.kind}); wait for it to finish`, { task: running.id });
    }
    const kind = `vm.${r.action}`;
    const task = await this.db.task.create({
      data: {
        kind,
        targetType: "vm",
        targetId: r.uuid,
        targetName: domain.name,
        hostId: r.hostId,
        userId: r.user.id,
        status: "running",
        startedAt: new Date(),
        idempotencyKey: r.idempotencyKey,
        inputJson: JSON.stringify({ action: r.action, removeStorage: r.removeStorage, enabled: r.enabled }),
      },
      include: { user: { select: { username: true } } },
    });
    this.locks.set(lockKey, task.id);
    this.bus.publish({ type: "task.upsert", task: taskRow(task) });

    const outcome = this.hub
      .call(r.hostId, "domain.action", { uuid: r.uuid, action: r.action, removeStorage: r.removeStorage, enabled: r.enabled }, 120_000)
      .then(
        () => this.finish(task.id, "succeeded", null),
        (err: unknown) => this.finish(task.id, isAgentCallError(err) && err.code === "offline" ? "unknown" : "failed", err),
      )
      .finally(() => {
        if (this.locks.get(lockKey) === task.id) this.locks.delete(lockKey);
      });
    void audit(this.db, { actor: r.user.username, userId: r.user.id, action: kind, target: `${domain.name} (${r.uuid})`, outcome: "success", ip: r.ip, details: { taskId: task.id } });

    const finished = await Promise.race([outcome, new Promise<null>((res) => setTimeout(() => res(null), INLINE_WAIT_MS))]);
    if (!finished) return { task: taskRow(task), done: false, replay: false };
    if (finished.status === "failed" && finished.errorCode) {
      const code = finished.errorCode === "invalid_state" ? "conflict" : finished.errorCode === "not_found" ? "not_found" : null;
      if (code) throw new ApiError(code, finished.row.error ?? "action failed", { task: finished.row.id });
    }
    return { task: finished.row, done: true, replay: false };
  }

  private async finish(id: string, status: "succeeded" | "failed" | "unknown", err: unknown): Promise<{ row: TaskRow; status: string; errorCode: string | null }> {
    const message = err instanceof Error ? err.message : err ? String(err) : null;
    const t = await this.db.task.update({
      where: { id },
      data: { status, error: message, finishedAt: status === "unknown" ? null : new Date() },
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
    const rows = await this.db.task.findMany({ where: { hostId, status: "unknown" } });
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
