import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { DomainName } from "@/server/protocol";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { cloneMachine } from "@/server/web/services/vm-edit";

// Copies a stopped machine with new volumes (409 while it runs). vm.create: a clone is a
// new machine (server/protocol/roles.ts).
export const POST = route(
  { permission: "vm.create", params: MachineParams, resource: machineResource, body: z.strictObject({ name: DomainName }) },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await cloneMachine(svc, { user, ip }, params, body.name, idempotencyKey(req));
    return json({ task: r.task, replay: r.replay, result: r.result ?? null }, { status: r.done ? 200 : 202 });
  },
);
