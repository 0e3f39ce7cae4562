import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { VolumeCapacity, VolumeName } from "@/server/protocol";
import { VolumeParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { cloneVolume, resizeVolume } from "@/server/web/services/volumes";

const Body = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("resize"), capacity: VolumeCapacity }),
  z.strictObject({ action: z.literal("clone"), newName: VolumeName }),
]);

// resize (grow only: 422 naming `capacity` otherwise) or clone into a new name in the same
// pool (409 naming `newName` when taken), as a task: 200 when done, 202 while it runs.
export const POST = route(
  { permission: "storage.manage", params: VolumeParams, resource: hostResource, body: Body },
  async ({ svc, params, body, user, ip, req }) => {
    const o = { ...params, idempotencyKey: idempotencyKey(req) };
    const r =
      body.action === "resize"
        ? await resizeVolume(svc, { user, ip }, { ...o, capacity: body.capacity })
        : await cloneVolume(svc, { user, ip }, { ...o, newName: body.newName });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
