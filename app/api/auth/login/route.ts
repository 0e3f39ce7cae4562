import { route, json } from "@/server/web/http/route";
import { LoginBody } from "@/server/web/auth/accounts";
import { sessionCookie } from "@/server/web/http/cookies";
import { signIn } from "@/server/web/services/sessions";

export const POST = route({ auth: "none", body: LoginBody }, async ({ svc, body, ip, req }) => {
  const { user, token } = await signIn(svc, body, { ip, userAgent: req.headers.get("user-agent") ?? "" });
  return json({ user }, { headers: { "Set-Cookie": sessionCookie(svc.config, token) } });
});
