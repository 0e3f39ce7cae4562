import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { MachineParams, machineResource } from "@/server/web/http/params";
import { DomainAction } from "@/server/protocol";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { machineAction } from "@/server/web/services/machines";

const Body = z
  .strictObject({ action: DomainAction, removeStorage: z.boolean().optional(), enabled: z.boolean().optional() })
  .refine((b) => b.action !== "autostart" || typeof b.enabled === "boolean", { message: "required for autostart", path: ["enabled"] });

// 200 with the finished task when the agent answered quickly, 202 while it still runs
// (completion then arrives as a task.upsert event). Undefine also needs vm.manage.
export const POST = route(
  { permission: "vm.power", params: MachineParams, resource: machineResource, body: Body },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await machineAction(
      svc,
      { user, ip },
      { ...params, action: body.action, removeStorage: body.removeStorage, enabled: body.enabled, idempotencyKey: idempotencyKey(req) },
    );
    return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
  },
);
