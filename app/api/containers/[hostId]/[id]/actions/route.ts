import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ContainerAction } from "@/server/protocol";
import { ContainerParams, containerResource, runContainerAction } from "@/server/web/agents/container-params";

// 200 with the finished task when the engine answered quickly, 202 while it still runs.
export const POST = route({ permission: "container.manage", params: ContainerParams, resource: containerResource, body: z.strictObject({ action: ContainerAction, force: z.boolean().optional() }) }, async ({ svc, params, body, user, ip, req }) => {
  const r = await runContainerAction(svc, { user, ip, req, hostId: params.hostId, id: params.id, action: body.action, force: body.force });
  return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
});
