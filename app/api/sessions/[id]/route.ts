import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { ApiError } from "@/server/web/http/errors";
import { audit } from "@/server/web/audit";

export const DELETE = route(
  { permission: "session.manage", params: z.strictObject({ id: z.string().min(1).max(64) }) },
  async ({ svc, user, params, ip }) => {
    const ok = await svc.sessions.revoke(params.id, user.id);
    if (!ok) throw new ApiError("not_found", `No active session ${params.id}`, { id: "no such active session" });
    await audit(svc.db, { actor: user.username, userId: user.id, action: "session.revoke", target: params.id, outcome: "success", ip });
    return json({ ok: true });
  },
);
