import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { revokeToken } from "@/server/web/services/api-tokens";

// Revocation is immediate: the next request with the token is a 401.
export const DELETE = route({ permission: "session.manage", session: "required", params: IdParams }, async ({ svc, user, ip, params }) => {
  await revokeToken(svc, { user, ip }, params.id);
  return json({ ok: true });
});
