import { route, json } from "@/server/web/http/route";
import { disableTotp, TotpDisableBody } from "@/server/web/services/totp";

// Turning the second factor off takes a current code or a recovery code, not only the session.
export const POST = route({ permission: "session.manage", session: "required", body: TotpDisableBody }, async ({ svc, user, ip, body }) => {
  await disableTotp(svc, { user, ip }, body);
  return json({ ok: true });
});
