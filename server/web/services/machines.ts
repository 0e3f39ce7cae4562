// Machine (VM) verbs: one per route. Actions run as durable tasks through TaskService.run.
import type { z } from "zod";
import type { DomainAction, TaskRow } from "../../protocol";
import { CONSOLE_SUBPROTOCOL, TICKET_PROTOCOL_PREFIX, type ConsoleTicketRequest } from "../../protocol";
import type { Services } from "../services";
import { audit } from "../audit";
import { ApiError } from "../http/errors";
import { authorize } from "../auth/permissions";
import { isAgentCallError } from "../agents/agent-connection";
import { queryMachines, type MachineQuery } from "../agents/machine-query";
import type { Caller, SessionCaller } from "./caller";
import type { User } from "../db/client";
import { visibleMachines } from "./visibility";

type Ref = { hostId: string; uuid: string };

/** The machines the caller may read (vm.read on each), filtered, sorted and paged. */
export function listMachines(svc: Services, user: User, query: MachineQuery) {
  return queryMachines(visibleMachines(svc, user), query);
}

/** The machine as last reported, and its XML when its host is online (null if the agent cannot say). */
export async function getMachine(svc: Services, ref: Ref) {
  const machine = svc.hub.machine(ref.hostId, ref.uuid);
  if (!machine) throw new ApiError("not_found", `No machine ${ref.uuid} on host ${ref.hostId}`, { uuid: "unknown machine" });
  let xml: string | null = null;
  if (!machine.stale) {
    try {
      xml = (await svc.hub.call(ref.hostId, "domain.get", { uuid: ref.uuid }, 10_000)).xml;
    } catch (err) {
      if (!isAgentCallError(err)) throw err;
    }
  }
  return { machine, xml };
}

export interface MachineActionRequest extends Ref {
  action: DomainAction;
  removeStorage?: boolean;
  enabled?: boolean;
  idempotencyKey: string | null;
}

/** Runs a power (or autostart, or undefine) action as a task: finished (done) or still running. */
export async function machineAction(
  svc: Services,
  caller: Caller,
  r: MachineActionRequest,
): Promise<{ task: TaskRow; done: boolean; replay: boolean }> {
  // Deleting a machine is more than power: it needs vm.manage.
  if (r.action === "undefine" && !authorize(svc.access, caller.user, "vm.manage", { type: "vm", id: r.uuid, hostId: r.hostId }))
    throw new ApiError("forbidden", "You lack the permission vm.manage");
  const domain = svc.hub.domain(r.hostId, r.uuid);
  // A retry answers with its task even when the machine has gone since (undefine).
  const replay = await svc.tasks.replay(caller.user, r.idempotencyKey);
  if (replay) return replay;
  if (!domain) throw new ApiError("not_found", `No machine ${r.uuid} on this host`, { uuid: "unknown machine" });
  return svc.tasks.run({
    user: caller.user,
    ip: caller.ip,
    hostId: r.hostId,
    kind: `vm.${r.action}`,
    targetType: "vm",
    targetId: r.uuid,
    targetName: domain.name,
    idempotencyKey: r.idempotencyKey,
    input: { action: r.action, removeStorage: r.removeStorage, enabled: r.enabled },
    call: (timeoutMs) =>
      svc.hub.call(r.hostId, "domain.action", { uuid: r.uuid, action: r.action, removeStorage: r.removeStorage, enabled: r.enabled }, timeoutMs),
  });
}

/**
 * A one-time ticket (30 s) for one console of one machine, for this session only. The
 * browser presents it as a websocket subprotocol on /ws/console.
 */
export async function machineConsoleTicket(svc: Services, caller: SessionCaller, ref: Ref, body: z.output<typeof ConsoleTicketRequest>) {
  const m = svc.hub.machine(ref.hostId, ref.uuid);
  if (!m) throw new ApiError("not_found", `No machine ${ref.uuid} on this host`, { uuid: "unknown machine" });
  if (m.stale) throw new ApiError("unavailable", "The host is offline");
  if (!["running", "paused"].includes(m.state)) throw new ApiError("conflict", `${m.name} is ${m.state}: start it to use the console`);
  if (body.kind === "vnc" && !m.graphics.some((g) => g.type === "vnc"))
    throw new ApiError("conflict", `${m.name} has no VNC graphics device`, { kind: "no VNC device" });
  if (body.kind === "serial" && !m.serials.length) throw new ApiError("conflict", `${m.name} has no serial console`, { kind: "no serial device" });
  const ticket = await svc.consoleTickets.issue({
    userId: caller.user.id,
    sessionId: caller.session.id,
    hostId: ref.hostId,
    uuid: ref.uuid,
    kind: body.kind,
    takeover: body.takeover ?? false,
  });
  await audit(svc.db, {
    actor: caller.user.username,
    userId: caller.user.id,
    action: `console.${body.kind}`,
    target: `${m.name} (${m.uuid})`,
    outcome: "success",
    ip: caller.ip,
    details: { takeover: body.takeover ?? false },
  });
  return {
    ticket,
    path: "/ws/console",
    protocols: [CONSOLE_SUBPROTOCOL, `${TICKET_PROTOCOL_PREFIX}${ticket}`],
    viewers: svc.consoles.viewersOf(ref.hostId, ref.uuid),
  };
}
