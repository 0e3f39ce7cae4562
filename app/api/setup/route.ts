import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { SetupBody } from "@/server/web/auth/accounts";
import { sessionCookie } from "@/server/web/http/cookies";
import { completeSetup, setupStatus } from "@/server/web/services/sessions";

export const GET = route({ auth: "none", query: z.strictObject({ token: z.string().max(128).optional() }) }, async ({ svc, query }) =>
  json(await setupStatus(svc, query.token)),
);

export const POST = route({ auth: "none", body: SetupBody }, async ({ svc, body, ip, req }) => {
  const { user, token } = await completeSetup(svc, body, { ip, userAgent: req.headers.get("user-agent") ?? "" });
  return json({ user }, { status: 201, headers: { "Set-Cookie": sessionCookie(svc.config, token) } });
});
