import { route, json } from "@/server/web/http/route";
import { sessionCookie } from "@/server/web/http/cookies";
import { finishTotpLogin, TotpLoginBody } from "@/server/web/services/totp";

// The second sign-in step: the challenge from /api/auth/login plus a code or a recovery code.
export const POST = route({ auth: "none", body: TotpLoginBody }, async ({ svc, body, ip, req }) => {
  const { user, token } = await finishTotpLogin(svc, body, { ip, userAgent: req.headers.get("user-agent") ?? "" });
  return json({ user }, { headers: { "Set-Cookie": sessionCookie(svc.config, token) } });
});
