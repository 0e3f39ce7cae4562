import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { VolumeParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { deleteVolume } from "@/server/web/services/volumes";

// Deletes the volume (its file) as a task; 409 naming the domains that use it, unless force=1.
export const DELETE = route(
  { permission: "storage.manage", params: VolumeParams, resource: hostResource, query: z.strictObject({ force: z.enum(["0", "1"]).default("0") }) },
  async ({ svc, params, query, user, ip, req }) => {
    const r = await deleteVolume(svc, { user, ip }, { ...params, force: query.force === "1", idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
