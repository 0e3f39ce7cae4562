import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { hostRow } from "@/server/web/agents/hosts";
import { audit } from "@/server/web/audit";

const Params = z.strictObject({ hostId: z.string().min(1).max(64) });

export const GET = route({ permission: "host.read", params: Params, resource: (p) => ({ type: "host", id: p.hostId }) }, async ({ svc, params }) => {
  const h = await svc.db.host.findUnique({ where: { id: params.hostId } });
  if (!h) throw new ApiError("not_found", `No host ${params.hostId}`, { hostId: "unknown host" });
  return json({ host: hostRow(h, svc.hub) });
});

export const DELETE = route({ permission: "host.manage", params: Params, resource: (p) => ({ type: "host", id: p.hostId }) }, async ({ svc, params, user, ip }) => {
  const h = await svc.db.host.findUnique({ where: { id: params.hostId } });
  if (!h) throw new ApiError("not_found", `No host ${params.hostId}`, { hostId: "unknown host" });
  // Removing a host revokes its credential and disconnects its agent; its VMs are untouched.
  await svc.db.host.delete({ where: { id: h.id } });
  svc.hub.forget(h.id);
  svc.metrics.hostRemoved(h.id);
  await svc.metrics.forgetHost(h.id);
  await audit(svc.db, { actor: user.username, userId: user.id, action: "host.delete", target: h.name, outcome: "success", ip });
  svc.bus.publish({ type: "host.changed", hostId: h.id });
  return json({ ok: true });
});
