import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { PoolAction } from "@/server/protocol";
import { PoolParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { poolAction } from "@/server/web/services/pools";

// Starts (creating the directory when missing) or stops a pool, as a task: 200 when done, 202 while it runs.
export const POST = route(
  { permission: "storage.manage", params: PoolParams, resource: hostResource, body: z.strictObject({ action: PoolAction }) },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await poolAction(
      svc,
      { user, ip },
      { hostId: params.hostId, pool: params.pool, action: body.action, idempotencyKey: idempotencyKey(req) },
    );
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
