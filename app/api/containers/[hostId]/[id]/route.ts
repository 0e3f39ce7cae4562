import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ContainerName } from "@/server/protocol";
import { ContainerParams, containerResource, knownContainer, runContainerAction } from "@/server/web/agents/container-params";
import { audit } from "@/server/web/audit";

export const GET = route({ permission: "container.read", params: ContainerParams, resource: containerResource }, async ({ svc, params }) => {
  const container = knownContainer(svc.hub, params.hostId, params.id);
  if (container.stale) return json({ container, inspect: null });
  const r = await svc.hub.call(params.hostId, "container.inspect", { id: container.id }, 10_000);
  return json({ container, inspect: r.inspect });
});

export const PATCH = route({ permission: "container.manage", params: ContainerParams, resource: containerResource, body: z.strictObject({ name: ContainerName }) }, async ({ svc, params, body, user, ip }) => {
  const c = knownContainer(svc.hub, params.hostId, params.id);
  const r = await svc.hub.call(params.hostId, "container.rename", { id: c.id, name: body.name }, 30_000);
  await audit(svc.db, { actor: user.username, userId: user.id, action: "container.rename", target: `${c.name} → ${body.name} (${c.id.slice(0, 12)})`, outcome: "success", ip });
  return json({ container: r.container });
});

// Removal is a task; `force=1` also removes a running container.
export const DELETE = route({ permission: "container.manage", params: ContainerParams, resource: containerResource, query: z.strictObject({ force: z.enum(["0", "1"]).default("0") }) }, async ({ svc, params, query, user, ip, req }) => {
  const r = await runContainerAction(svc, { user, ip, req, hostId: params.hostId, id: params.id, action: "remove", force: query.force === "1" });
  return json({ task: r.task }, { status: r.done ? 200 : 202 });
});
