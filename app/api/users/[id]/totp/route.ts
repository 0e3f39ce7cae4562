import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { resetTotp } from "@/server/web/services/totp";

// Admin: clears a user's second factor (lost device); they enrol again.
export const DELETE = route({ permission: "user.manage", session: "required", params: IdParams }, async ({ svc, user, ip, params }) => {
  await resetTotp(svc, { user, ip }, params.id);
  return json({ ok: true });
});
