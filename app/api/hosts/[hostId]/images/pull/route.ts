import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ImageRef } from "@/server/protocol";
import { HostParams } from "@/server/web/agents/container-params";
import { idempotencyKey } from "@/server/web/http/idempotency";

// Pulls an image as a task. Without a reachable registry the engine's reason comes back
// (inline when it fails fast, else on the task).
export const POST = route({ permission: "container.manage", params: HostParams, resource: (p) => ({ type: "host", id: p.hostId }), body: z.strictObject({ ref: ImageRef }) }, async ({ svc, params, body, user, ip, req }) => {
  const r = await svc.tasks.run({
    user,
    ip,
    hostId: params.hostId,
    kind: "image.pull",
    targetType: "image",
    targetId: body.ref,
    targetName: body.ref,
    idempotencyKey: idempotencyKey(req),
    input: body,
    timeoutMs: 600_000,
    call: (timeoutMs) => svc.hub.call(params.hostId, "image.pull", { ref: body.ref }, timeoutMs),
    inlineWaitMs: 10_000,
  });
  return json({ task: r.task }, { status: r.done ? 200 : 202 });
});
