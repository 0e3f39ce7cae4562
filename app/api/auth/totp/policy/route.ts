import { route, json } from "@/server/web/http/route";
import { getTotpPolicy, setTotpPolicy, TotpPolicyBody } from "@/server/web/services/totp";

// Who must use a second factor: everyone, or some roles. Users it covers who have none
// are sent to enrolment on their next request.
export const GET = route({ permission: "user.manage" }, async ({ svc }) => json(getTotpPolicy(svc)));

export const PUT = route({ permission: "user.manage", session: "required", body: TotpPolicyBody }, async ({ svc, user, ip, body }) =>
  json(await setTotpPolicy(svc, { user, ip }, body)),
);
