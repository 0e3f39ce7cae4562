import { route, json } from "@/server/web/http/route";
import { LoginBody } from "@/server/web/auth/accounts";
import { sessionCookie } from "@/server/web/http/cookies";
import { signIn } from "@/server/web/services/sessions";

// With two-factor sign-in on, the answer is { totpRequired, challenge } and no cookie:
// POST /api/auth/login/totp finishes.
export const POST = route({ auth: "none", body: LoginBody }, async ({ svc, body, ip, req }) => {
  const r = await signIn(svc, body, { ip, userAgent: req.headers.get("user-agent") ?? "" });
  if ("totpRequired" in r) return json(r, { headers: { "Cache-Control": "no-store" } });
  return json({ user: r.user }, { headers: { "Set-Cookie": sessionCookie(svc.config, r.token) } });
});
