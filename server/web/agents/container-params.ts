import { z } from "zod";
import { ContainerId, type ContainerAction } from "../../protocol";
import type { User } from "../db/client";
import type { Services } from "../services";
import { idempotencyKey } from "../http/idempotency";
import { ApiError } from "../http/errors";
import type { AgentHub } from "./hub";

export const HostParams = z.strictObject({ hostId: z.string().min(1).max(64) });
export const ContainerParams = z.strictObject({ hostId: z.string().min(1).max(64), id: ContainerId });
export const containerResource = (p: z.infer<typeof ContainerParams>) => ({ type: "container" as const, id: p.id, hostId: p.hostId });

/** The container as last reported by its host, or a 404 naming the field. */
export function knownContainer(hub: AgentHub, hostId: string, id: string) {
  const c = hub.container(hostId, id);
  if (!c) throw new ApiError("not_found", `No container ${id} on this host`, { id: "unknown container" });
  return c;
}

/** Runs a lifecycle action (remove included) on a known container as a task. */
export function runContainerAction(svc: Services, o: { user: User; ip: string; req: Request; hostId: string; id: string; action: ContainerAction; force?: boolean }) {
  const c = knownContainer(svc.hub, o.hostId, o.id);
  return svc.tasks.run({
    user: o.user,
    ip: o.ip,
    hostId: o.hostId,
    kind: `container.${o.action}`,
    targetType: "container",
    targetId: c.id,
    targetName: c.name,
    idempotencyKey: idempotencyKey(o.req),
    input: { action: o.action, force: o.force },
    call: (timeoutMs) => svc.hub.call(o.hostId, "container.action", { id: c.id, action: o.action, force: o.force }, timeoutMs),
  });
}
