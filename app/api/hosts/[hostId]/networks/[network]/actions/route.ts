import { route, json } from "@/server/web/http/route";
import { NetworkActionSpec } from "@/server/protocol";
import { NetworkParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { networkAction } from "@/server/web/services/networks";

// { action: "start" | "stop" } or { action: "autostart", enabled }, as a task: 200 when done, 202 while it runs.
export const POST = route(
  { permission: "network.manage", params: NetworkParams, resource: hostResource, body: NetworkActionSpec },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await networkAction(
      svc,
      { user, ip },
      { hostId: params.hostId, network: params.network, action: body, idempotencyKey: idempotencyKey(req) },
    );
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
