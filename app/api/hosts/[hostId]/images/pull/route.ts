import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ImageRef } from "@/server/protocol";
import { HostParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { pullImage } from "@/server/web/services/images";

// Pulls an image as a task: 200 when it finished within 10 s, else 202 (the task carries the result).
export const POST = route(
  { permission: "container.manage", params: HostParams, resource: hostResource, body: z.strictObject({ ref: ImageRef }) },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await pullImage(svc, { user, ip }, { hostId: params.hostId, ref: body.ref, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task }, { status: r.done ? 200 : 202 });
  },
);
