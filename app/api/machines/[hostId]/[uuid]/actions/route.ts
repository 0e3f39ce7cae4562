import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { MachineParams, machineResource } from "@/server/web/agents/machine-params";
import { DomainAction } from "@/server/protocol";
import { authorize } from "@/server/web/auth/permissions";
import { idempotencyKey } from "@/server/web/http/idempotency";

const Body = z
  .strictObject({ action: DomainAction, removeStorage: z.boolean().optional(), enabled: z.boolean().optional() })
  .refine((b) => b.action !== "autostart" || typeof b.enabled === "boolean", { message: "required for autostart", path: ["enabled"] });

// 200 with the finished task when the agent answered quickly, 202 while it still runs
// (completion then arrives as a task.upsert event).
export const POST = route({ permission: "vm.power", params: MachineParams, resource: machineResource, body: Body }, async ({ svc, params, body, user, ip, req }) => {
  const key = idempotencyKey(req);
  // Deleting a machine is more than power: it needs vm.manage.
  if (body.action === "undefine" && !authorize(user, "vm.manage")) throw new ApiError("forbidden", "You lack the permission vm.manage");
  const r = await svc.tasks.domainAction({ user, ip, hostId: params.hostId, uuid: params.uuid, action: body.action, removeStorage: body.removeStorage, enabled: body.enabled, idempotencyKey: key });
  return json({ task: r.task, replay: r.replay }, { status: r.done ? 200 : 202 });
});
