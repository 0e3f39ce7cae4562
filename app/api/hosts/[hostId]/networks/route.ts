import { route, json } from "@/server/web/http/route";
import { NetworkDefineSpec } from "@/server/protocol";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { HostParams, hostResource } from "@/server/web/http/params";
import { defineNetwork, listNetworks } from "@/server/web/services/networks";

// Networks are read like the machines attached to them: whoever may see VMs may see networks.
export const GET = route({ permission: "vm.read", params: HostParams, resource: hostResource }, async ({ svc, params }) =>
  json(await listNetworks(svc, params.hostId)),
);

// Defines a network (inactive until started) from a typed spec: 200 with the finished task, 202 while it runs.
export const POST = route(
  { permission: "network.manage", params: HostParams, resource: hostResource, body: NetworkDefineSpec },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await defineNetwork(svc, { user, ip }, { hostId: params.hostId, spec: body, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
