import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ContainerAction } from "@/server/protocol";
import { ContainerParams, containerResource, idempotencyKey, knownContainer } from "@/server/web/agents/container-params";
import { agentError } from "@/server/web/http/agent-errors";

// 200 with the finished task when the engine answered quickly, 202 while it still runs.
export const POST = route({ permission: "container.manage", params: ContainerParams, resource: containerResource, body: z.object({ action: ContainerAction, force: z.boolean().optional() }) }, async ({ svc, params, body, user, ip, req }) => {
  const c = knownContainer(svc.hub, params.hostId, params.id);
  try {
    const r = await svc.tasks.run({
      user,
      ip,
      hostId: params.hostId,
      kind: `container.${body.action}`,
      targetType: "container",
      targetId: c.id,
      targetName: c.name,
      idempotencyKey: idempotencyKey(req),
      input: body,
      call: () => svc.hub.call(params.hostId, "container.action", { id: c.id, action: body.action, force: body.force }, 120_000),
    });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  } catch (err) {
    throw agentError(err);
  }
});
