import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { createFirstAdmin, publicUser, SetupBody } from "@/server/web/auth/accounts";
import { sessionCookie } from "@/server/web/http/cookies";

export const GET = route({ auth: "none", query: z.strictObject({ token: z.string().max(128).optional() }) }, async ({ svc, query }) => {
  const needed = (await svc.db.user.count()) === 0;
  return json({ needed, tokenValid: needed && query.token ? svc.setup.check(query.token) : false });
});

export const POST = route({ auth: "none", body: SetupBody }, async ({ svc, body, ip, req }) => {
  const user = await createFirstAdmin(svc, body, ip);
  const { token } = await svc.sessions.create(user.id, { userAgent: req.headers.get("user-agent") ?? "", ip });
  return json({ user: publicUser(user) }, { status: 201, headers: { "Set-Cookie": sessionCookie(svc.config, token) } });
});
