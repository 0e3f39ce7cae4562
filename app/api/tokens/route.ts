import { route, json } from "@/server/web/http/route";
import { createToken, listTokens, NewTokenBody, TokenListQuery } from "@/server/web/services/api-tokens";

// Managing tokens needs a signed-in browser session: a token cannot mint or list tokens.
export const GET = route({ permission: "session.manage", session: "required", query: TokenListQuery }, async ({ svc, user, ip, query }) =>
  json({ tokens: await listTokens(svc, { user, ip }, query.scope) }),
);

export const POST = route({ permission: "session.manage", session: "required", body: NewTokenBody }, async ({ svc, user, ip, body }) =>
  json(await createToken(svc, { user, ip }, body), { status: 201, headers: { "Cache-Control": "no-store" } }),
);
