import { route, json } from "@/server/web/http/route";
import { PoolParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { undefinePool } from "@/server/web/services/pools";

// Undefines (forgets) the pool as a task; its files stay on disk. 409 while it holds
// volumes (the message gives the count); an active, empty pool is stopped first.
export const DELETE = route({ permission: "storage.manage", params: PoolParams, resource: hostResource }, async ({ svc, params, user, ip, req }) => {
  const r = await undefinePool(svc, { user, ip }, { hostId: params.hostId, pool: params.pool, idempotencyKey: idempotencyKey(req) });
  return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
});
