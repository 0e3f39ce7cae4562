import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { defineMachineXml } from "@/server/web/services/vm-edit";

// Replaces the machine's definition: checked by libvirt's schema first, refused (422
// naming xml) unless it keeps this machine's uuid and name.
export const PUT = route(
  {
    permission: "vm.edit",
    params: MachineParams,
    resource: machineResource,
    body: z.strictObject({
      xml: z
        .string()
        .min(1)
        .max(1024 * 1024),
    }),
  },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await defineMachineXml(svc, { user, ip }, params, body.xml, idempotencyKey(req));
    return json({ task: r.task, replay: r.replay, result: r.result ?? null }, { status: r.done ? 200 : 202 });
  },
);
