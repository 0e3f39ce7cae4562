import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { VmChange } from "@/server/protocol";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { editMachine, machineEditInfo } from "@/server/web/services/vm-edit";

// What the edit forms need beyond the machine's row (ceilings, description, boot order…).
export const GET = route({ permission: "vm.read", params: MachineParams, resource: machineResource }, async ({ svc, params }) =>
  json(await machineEditInfo(svc, params)),
);

// One change as a task: 200 with the finished task and where it applied (live+config,
// next-boot), 202 while it runs.
export const POST = route(
  { permission: "vm.edit", params: MachineParams, resource: machineResource, body: z.strictObject({ change: VmChange }) },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await editMachine(svc, { user, ip }, params, body.change, idempotencyKey(req));
    return json({ task: r.task, replay: r.replay, result: r.result ?? null }, { status: r.done ? 200 : 202 });
  },
);
