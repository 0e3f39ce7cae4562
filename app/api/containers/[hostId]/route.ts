import { route, json } from "@/server/web/http/route";
import { ContainerCreateSpec } from "@/server/protocol";
import { HostParams } from "@/server/web/agents/container-params";
import { idempotencyKey } from "@/server/web/http/idempotency";

// Creates (and by default starts) a container as a task. The engine's refusal (unknown
// image, name in use, port taken) comes back inline as a 4xx with the engine's words; a
// container that fails to start is removed again, so nothing half-made remains.
export const POST = route({ permission: "container.manage", params: HostParams, resource: (p) => ({ type: "host", id: p.hostId }), body: ContainerCreateSpec }, async ({ svc, params, body, user, ip, req }) => {
  const name = body.name ?? `(${body.image})`;
  const r = await svc.tasks.run({
    user,
    ip,
    hostId: params.hostId,
    kind: "container.create",
    targetType: "container",
    targetId: body.name ?? `new:${body.image}`,
    targetName: name,
    idempotencyKey: idempotencyKey(req),
    input: body,
    timeoutMs: 300_000,
    call: async (timeoutMs) => {
      const made = await svc.hub.call(params.hostId, "container.create", { spec: body }, timeoutMs);
      svc.hub.noteContainer(params.hostId, made.container);
      return made;
    },
    describe: (res) => ({ id: (res as { container: { id: string } }).container.id }),
    inlineWaitMs: 30_000,
  });
  const container = (r.result as { container?: unknown } | undefined)?.container ?? null;
  return json({ task: r.task, container }, { status: r.done ? 201 : 202 });
});
