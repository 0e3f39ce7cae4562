import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { getMachine } from "@/server/web/services/machines";
import { deleteMachine } from "@/server/web/services/vm-edit";

export const GET = route({ permission: "vm.read", params: MachineParams, resource: machineResource }, async ({ svc, params }) =>
  json(await getMachine(svc, params)),
);

// Deletes a stopped machine and exactly the listed volumes (paths of its own disks; any
// other path is a 422 naming volumes, and then nothing is deleted). Needs vm.manage.
export const DELETE = route(
  {
    permission: "vm.manage",
    params: MachineParams,
    resource: machineResource,
    body: z.strictObject({ volumes: z.array(z.string().min(1).max(4096)).max(256) }),
  },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await deleteMachine(svc, { user, ip }, params, body.volumes, idempotencyKey(req));
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
