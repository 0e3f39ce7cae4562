import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { revokeInvitation } from "@/server/web/services/account-links";

export const DELETE = route({ permission: "user.manage", params: IdParams }, async ({ svc, user, params, ip }) => {
  await revokeInvitation(svc, { user, ip }, params.id);
  return json({ ok: true });
});
