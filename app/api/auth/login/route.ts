import { route, json } from "@/server/web/http/route";
import { login, LoginBody, publicUser } from "@/server/web/auth/accounts";
import { sessionCookie } from "@/server/web/http/cookies";

export const POST = route({ auth: "none", body: LoginBody }, async ({ svc, body, ip, req }) => {
  const user = await login(svc, body, ip);
  const { token } = await svc.sessions.create(user.id, { userAgent: req.headers.get("user-agent") ?? "", ip });
  return json({ user: publicUser(user) }, { headers: { "Set-Cookie": sessionCookie(svc.config, token) } });
});
