import { route, json } from "@/server/web/http/route";
import { ContainerCreateSpec } from "@/server/protocol";
import { HostParams, hostResource } from "@/server/web/http/params";
import { idempotencyKey } from "@/server/web/http/idempotency";
import { createContainer } from "@/server/web/services/containers";

// Creates (and by default starts) a container as a task: 201 with the container when the
// engine answered within 30 s, else 202. The engine's refusal comes back inline as a 4xx.
export const POST = route(
  { permission: "container.manage", params: HostParams, resource: hostResource, body: ContainerCreateSpec },
  async ({ svc, params, body, user, ip, req }) => {
    const r = await createContainer(svc, { user, ip }, { hostId: params.hostId, spec: body, idempotencyKey: idempotencyKey(req) });
    return json({ task: r.task, container: r.container }, { status: r.done ? 201 : 202 });
  },
);
