import { route, json } from "@/server/web/http/route";
import { clearedSessionCookie } from "@/server/web/http/cookies";
import { signOut } from "@/server/web/services/sessions";

export const POST = route({ permission: "session.manage", session: "required", enrolment: true }, async ({ svc, session, user, ip }) => {
  await signOut(svc, { user, session, ip });
  return json({ ok: true }, { headers: { "Set-Cookie": clearedSessionCookie(svc.config) } });
});
