import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { MigrateRequest } from "@/server/protocol";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { migrateMachine } from "@/server/web/services/migration";

// Moves a running VM to another libvirt host, live, as a cancellable task: 200 with the
// finished task, 202 while it runs (task.progress events carry bytes sent of total).
// vm.migrate is checked here on the VM and by the service on the target host.
export const POST = route(
  { permission: "vm.migrate", params: MachineParams, resource: machineResource, body: MigrateRequest },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await migrateMachine(svc, { user, ip }, { ...params, req: body, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
