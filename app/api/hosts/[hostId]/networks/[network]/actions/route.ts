import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { NetworkActionSpec } from "@/server/protocol";
import { NetworkParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { networkAction } from "@/server/web/services/networks";

// { action: "start" | "stop" } or { action: "autostart", enabled }, as a task: 200 when done, 202 while it runs.
// Stop is 409 naming the running machines on the network unless force=1.
export const POST = route(
  {
    permission: "network.manage",
    params: NetworkParams,
    resource: hostResource,
    body: NetworkActionSpec,
    query: z.strictObject({ force: z.enum(["0", "1"]).default("0") }),
  },
  async ({ svc, params, body, query, user, ip, req }) => {
    const r = await networkAction(
      svc,
      { user, ip },
      { hostId: params.hostId, network: params.network, action: body, force: query.force === "1", idempotencyKey: idempotencyKey(req) },
    );
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
