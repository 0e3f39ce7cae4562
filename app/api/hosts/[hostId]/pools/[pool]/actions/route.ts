import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { PoolAction } from "@/server/protocol";
import { PoolParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { poolAction, setPoolAutostart } from "@/server/web/services/pools";

const Body = z.discriminatedUnion("action", [
  z.strictObject({ action: PoolAction }),
  z.strictObject({ action: z.literal("autostart"), enabled: z.boolean() }),
]);

// start (creating the directory when missing), stop, refresh (rescan the directory) or
// autostart on/off, as a task: 200 when done, 202 while it runs.
export const POST = route(
  { permission: "storage.manage", params: PoolParams, resource: hostResource, body: Body },
  async ({ svc, params, body, user, ip, req }) => {
    const o = { hostId: params.hostId, pool: params.pool, idempotencyKey: idempotencyKey(req) };
    const r =
      body.action === "autostart"
        ? await setPoolAutostart(svc, { user, ip }, { ...o, enabled: body.enabled })
        : await poolAction(svc, { user, ip }, { ...o, action: body.action });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
