import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ContainerAction } from "@/server/protocol";
import { ContainerParams, containerResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { containerAction } from "@/server/web/services/containers";

// 200 with the finished task when the engine answered quickly, 202 while it still runs.
export const POST = route(
  {
    permission: "container.manage",
    params: ContainerParams,
    resource: containerResource,
    body: z.strictObject({ action: ContainerAction, force: z.boolean().optional() }),
  },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await containerAction(svc, { user, ip }, { ...params, action: body.action, force: body.force, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
