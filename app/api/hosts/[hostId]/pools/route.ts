import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { PoolName, PoolPath } from "@/server/protocol";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { HostParams, hostResource } from "@/server/web/http/params";
import { definePool, listPools } from "@/server/web/services/pools";

// Storage pools are read like the machines they hold: whoever may see VMs may see pools.
export const GET = route({ permission: "vm.read", params: HostParams, resource: hostResource }, async ({ svc, params }) =>
  json(await listPools(svc, params.hostId)),
);

// Defines a directory pool (inactive until started): 200 with the finished task, 202 while it runs.
export const POST = route(
  { permission: "storage.manage", params: HostParams, resource: hostResource, body: z.strictObject({ name: PoolName, path: PoolPath }) },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await definePool(svc, { user, ip }, { hostId: params.hostId, name: body.name, path: body.path, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
