import { route, json } from "@/server/web/http/route";
import { startEnrolment, totpStatus } from "@/server/web/services/totp";

// The caller's second factor: status, and starting an enrolment (secret + QR). Open while
// the policy sends the user to enrolment, closed to API tokens.
const SPEC = { permission: "session.manage", session: "required", enrolment: true } as const;

export const GET = route(SPEC, async ({ svc, user }) => json(await totpStatus(svc, user)));

export const POST = route(SPEC, async ({ svc, user, ip }) =>
  json(await startEnrolment(svc, { user, ip }), { headers: { "Cache-Control": "no-store" } }),
);
