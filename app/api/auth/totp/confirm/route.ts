import { route, json } from "@/server/web/http/route";
import { confirmEnrolment, TotpConfirmBody } from "@/server/web/services/totp";

// A code from the new secret turns the second factor on; the answer carries the recovery codes, once.
export const POST = route(
  { permission: "session.manage", session: "required", enrolment: true, body: TotpConfirmBody },
  async ({ svc, user, ip, body }) => json(await confirmEnrolment(svc, { user, ip }, body.code), { headers: { "Cache-Control": "no-store" } }),
);
