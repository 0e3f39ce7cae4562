import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { renewEnrollment } from "@/server/web/agents/hosts";
import { enrollCommand, requestOrigin } from "@/server/web/agents/enroll-command";
import { audit } from "@/server/web/audit";

export const POST = route(
  { permission: "host.manage", params: z.strictObject({ hostId: z.string().min(1).max(64) }), resource: (p) => ({ type: "host", id: p.hostId }) },
  async ({ svc, params, user, ip, req }) => {
    const h = await svc.db.host.findUnique({ where: { id: params.hostId } });
    if (!h) throw new ApiError("not_found", `No host ${params.hostId}`, { hostId: "unknown host" });
    const token = await renewEnrollment(svc.db, h.id);
    await audit(svc.db, { actor: user.username, userId: user.id, action: "host.enrollment", target: h.name, outcome: "success", ip });
    return json({ enrollToken: token, command: enrollCommand(requestOrigin(req, svc.baseUrl), token) });
  },
);
