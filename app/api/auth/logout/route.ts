import { route, json } from "@/server/web/http/route";
import { clearedSessionCookie } from "@/server/web/http/cookies";
import { audit } from "@/server/web/audit";

export const POST = route({ permission: "session.manage" }, async ({ svc, session, user, ip }) => {
  await svc.sessions.revoke(session.id, user.id);
  await audit(svc.db, { actor: user.username, userId: user.id, action: "auth.logout", outcome: "success", ip });
  return json({ ok: true }, { headers: { "Set-Cookie": clearedSessionCookie(svc.config) } });
});
