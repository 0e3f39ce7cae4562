import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { CreateFormat, VolumeCapacity, VolumeName } from "@/server/protocol";
import { PoolParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { createVolume, listVolumes } from "@/server/web/services/volumes";

// Volumes are read like the machines they back: whoever may see VMs may see them.
export const GET = route({ permission: "vm.read", params: PoolParams, resource: hostResource }, async ({ svc, params }) =>
  json(await listVolumes(svc, params.hostId, params.pool)),
);

// Creates a thin qcow2 (compat 1.1) or raw volume as a task. 422 naming `capacity` when it
// exceeds the pool's free space, 409 naming `name` when the name is taken.
export const POST = route(
  {
    permission: "storage.manage",
    params: PoolParams,
    resource: hostResource,
    body: z.strictObject({ name: VolumeName, format: CreateFormat, capacity: VolumeCapacity }),
  },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await createVolume(
      svc,
      { user, ip },
      {
        hostId: params.hostId,
        pool: params.pool,
        volume: body.name,
        format: body.format,
        capacity: body.capacity,
        idempotencyKey: idempotencyKey(req),
      },
    );
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
