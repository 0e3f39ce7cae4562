import { route, json } from "@/server/web/http/route";
import { VmSpec } from "@/server/protocol";
import { HostParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { createVm } from "@/server/web/services/vm-create";

// Creates a VM on the host as a task: 201 with the machine when the agent finished within
// 60 s, else 202 (completion over the event socket). A refusal names the spec field.
export const POST = route(
  { permission: "vm.create", params: HostParams, resource: hostResource, body: VmSpec },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await createVm(svc, { user, ip }, { hostId: params.hostId, spec: body, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, machine: r.machine, replay: r.replay }, { status: r.done ? 201 : 202 });
  },
);
