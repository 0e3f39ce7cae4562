// Container verbs: one per route. Lifecycle actions, removal and creation run as durable
// tasks through TaskService.run; the rest is one agent call, audited when it changes something.
import { CONSOLE_SUBPROTOCOL, TICKET_PROTOCOL_PREFIX, type ContainerAction, type ContainerCreateSpec, type TaskRow } from "../../protocol";
import type { Services } from "../services";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { authorize } from "../auth/permissions";
import type { Caller, SessionCaller } from "./caller";
import type { User } from "../db/client";
import { visibleContainers } from "./visibility";

type Ref = { hostId: string; id: string };

/** The container as last reported by its host, or a 404 naming the field. */
function knownContainer(svc: Services, ref: Ref) {
  const c = svc.hub.container(ref.hostId, ref.id);
  if (!c) throw new ApiError("not_found", `No container ${ref.id} on this host`, { id: "unknown container" });
  return c;
}

/** Every container the caller may read, as last reported (rows of offline hosts are stale). */
export function listContainers(svc: Services, user: User) {
  const rows = visibleContainers(svc, user);
  return { rows, total: rows.length };
}

/** The row, and the engine's inspect document while the host is online. */
export async function getContainer(svc: Services, ref: Ref) {
  const container = knownContainer(svc, ref);
  if (container.stale) return { container, inspect: null };
  const r = await svc.hub.call(ref.hostId, "container.inspect", { id: container.id }, 10_000);
  return { container, inspect: r.inspect };
}

export async function renameContainer(svc: Services, caller: Caller, ref: Ref, name: string) {
  const c = knownContainer(svc, ref);
  const r = await svc.hub.call(ref.hostId, "container.rename", { id: c.id, name }, 30_000);
  await audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action: "container.rename",
    target: `${c.name} → ${name} (${c.id.slice(0, 12)})`,
    outcome: "success",
    ip: caller.ip,
  });
  return { container: r.container };
}

export interface ContainerActionRequest extends Ref {
  action: ContainerAction;
  force?: boolean;
  idempotencyKey: string | null;
}

/** Runs a lifecycle action (remove included: `force` also removes a running one) on a known container as a task. */
export function containerAction(
  svc: Services,
  caller: Caller,
  r: ContainerActionRequest,
): Promise<{ task: TaskRow; done: boolean; replay: boolean }> {
  const c = knownContainer(svc, r);
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: r.hostId,
    kind: `container.${r.action}`,
    targetType: "container",
    targetId: c.id,
    targetName: c.name,
    idempotencyKey: r.idempotencyKey,
    input: { action: r.action, force: r.force },
    call: (timeoutMs) => svc.hub.call(r.hostId, "container.action", { id: c.id, action: r.action, force: r.force }, timeoutMs),
  });
}

/**
 * Creates (and by default starts) a container as a task. The engine's refusal (unknown
 * image, name in use, port taken) comes back inline as the task service's 4xx; a
 * container that fails to start is removed again by the agent, so nothing half-made remains.
 */
export async function createContainer(
  svc: Services,
  caller: Caller,
  o: { hostId: string; spec: ContainerCreateSpec; idempotencyKey: string | null },
) {
  const { hostId, spec } = o;
  const r = await svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId,
    kind: "container.create",
    targetType: "container",
    targetId: spec.name ?? `new:${spec.image}`,
    targetName: spec.name ?? `(${spec.image})`,
    idempotencyKey: o.idempotencyKey,
    input: spec,
    timeoutMs: 300_000,
    call: async (timeoutMs) => {
      const made = await svc.hub.call(hostId, "container.create", { spec }, timeoutMs);
      // In the inventory when the create answers: the engine's event may come later.
      svc.hub.noteContainer(hostId, made.container);
      return made;
    },
    describe: (res) => ({ id: (res as { container: { id: string } }).container.id }),
    inlineWaitMs: 30_000,
  });
  const container = (r.result as { container?: unknown } | undefined)?.container ?? null;
  return { task: r.task, done: r.done, container };
}

/** The last `tail` lines of the container's log as text, and a file name for a download. */
export async function containerLogs(svc: Services, ref: Ref, o: { tail: number; timestamps: boolean }) {
  const c = knownContainer(svc, ref);
  const r = await svc.hub.call(ref.hostId, "container.logs", { id: c.id, tail: o.tail, timestamps: o.timestamps }, 30_000);
  return { text: r.text, truncated: r.truncated, fileName: `${c.name.replace(/[^A-Za-z0-9_.-]/g, "_")}.log` };
}

/**
 * A one-time ticket (30 s) for an exec shell or a live log follow, for this session only:
 * the same rules as VM consoles. A shell needs container.manage; following logs only read.
 */
export async function containerConsoleTicket(
  svc: Services,
  caller: SessionCaller,
  ref: Ref,
  body: { kind: "exec" | "logs"; cols?: number; rows?: number },
) {
  const c = knownContainer(svc, ref);
  if (body.kind === "exec" && !authorize(svc.access, caller.user, "container.manage", { type: "container", id: ref.id, hostId: ref.hostId }))
    throw new ApiError("forbidden", "You lack the permission container.manage");
  if (c.stale) throw new ApiError("unavailable", "The host is offline");
  if (body.kind === "exec" && c.state !== "running")
    throw new ApiError("conflict", `${c.name} is ${c.state}: start it to open a shell`, { kind: "container not running" });
  const ticket = await svc.consoleTickets.issue({
    userId: caller.user.id,
    sessionId: caller.session.id,
    hostId: ref.hostId,
    uuid: c.id,
    kind: body.kind,
    takeover: false,
    cols: body.cols,
    rows: body.rows,
  });
  if (body.kind === "exec")
    await audit(svc.db, {
      actor: caller.user.username,
      userId: caller.user.id,
      action: "container.exec",
      target: `${c.name} (${c.id.slice(0, 12)})`,
      outcome: "success",
      ip: caller.ip,
    });
  return { ticket, path: "/ws/console", protocols: [CONSOLE_SUBPROTOCOL, `${TICKET_PROTOCOL_PREFIX}${ticket}`] };
}
