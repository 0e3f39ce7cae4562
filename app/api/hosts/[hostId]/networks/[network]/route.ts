import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { NetworkParams, hostResource } from "@/server/web/http/params";
import { undefineNetwork } from "@/server/web/services/networks";

// Removes a network, stopping it first when active, as a task. While running machines use it
// the answer is 409 naming them; force=1 (the UI asks first) cuts their link.
export const DELETE = route(
  { permission: "network.manage", params: NetworkParams, resource: hostResource, query: z.strictObject({ force: z.enum(["0", "1"]).default("0") }) },
  async ({ svc, params, query, user, ip, req }) => {
    const r = await undefineNetwork(
      svc,
      { user, ip },
      { hostId: params.hostId, network: params.network, force: query.force === "1", idempotencyKey: idempotencyKey(req) },
    );
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
