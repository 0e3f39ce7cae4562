import { route, json } from "@/server/web/http/route";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { NetworkParams, hostResource } from "@/server/web/http/params";
import { undefineNetwork } from "@/server/web/services/networks";

// Removes a network, stopping it first when active (guests on it lose their link: the UI confirms), as a task.
export const DELETE = route(
  { permission: "network.manage", params: NetworkParams, resource: hostResource },
  async ({ svc, params, user, ip, req }) => {
    const r = await undefineNetwork(svc, { user, ip }, { hostId: params.hostId, network: params.network, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
