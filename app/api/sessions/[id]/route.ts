import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { revokeSession } from "@/server/web/services/sessions";

export const DELETE = route({ permission: "session.manage", session: "required", params: IdParams }, async ({ svc, user, params, ip }) => {
  await revokeSession(svc, { user, ip }, params.id);
  return json({ ok: true });
});
