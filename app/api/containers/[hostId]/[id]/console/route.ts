import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { CONSOLE_SUBPROTOCOL, TICKET_PROTOCOL_PREFIX } from "@/server/protocol";
import { ContainerParams, containerResource, knownContainer } from "@/server/web/agents/container-params";
import { authorize } from "@/server/web/auth/permissions";
import { audit } from "@/server/web/audit";

const Body = z.strictObject({ kind: z.enum(["exec", "logs"]), cols: z.number().int().min(1).max(1000).optional(), rows: z.number().int().min(1).max(1000).optional() });

// A one-time ticket (30 s) for an exec shell or a live log follow, for this session only:
// the same rules as VM consoles.
export const POST = route({ permission: "container.read", params: ContainerParams, resource: containerResource, body: Body }, async ({ svc, params, body, user, session, ip }) => {
  const c = knownContainer(svc.hub, params.hostId, params.id);
  if (body.kind === "exec" && !authorize(user, "container.manage", containerResource(params))) throw new ApiError("forbidden", "You lack the permission container.manage");
  if (c.stale) throw new ApiError("unavailable", "The host is offline");
  if (body.kind === "exec" && c.state !== "running") throw new ApiError("conflict", `${c.name} is ${c.state}: start it to open a shell`, { kind: "container not running" });
  const ticket = svc.consoleTickets.issue({ userId: user.id, sessionId: session.id, hostId: params.hostId, uuid: c.id, kind: body.kind, takeover: false, cols: body.cols, rows: body.rows });
  if (body.kind === "exec") await audit(svc.db, { actor: user.username, userId: user.id, action: "container.exec", target: `${c.name} (${c.id.slice(0, 12)})`, outcome: "success", ip });
  return json({ ticket, path: "/ws/console", protocols: [CONSOLE_SUBPROTOCOL, `${TICKET_PROTOCOL_PREFIX}${ticket}`] });
});
