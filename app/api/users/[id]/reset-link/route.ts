import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { createResetLink, NewResetLinkBody } from "@/server/web/services/account-links";

// The answer carries the link's secret: the only time it is ever shown.
export const POST = route({ permission: "user.manage", params: IdParams, body: NewResetLinkBody }, async ({ svc, user, params, body, ip }) =>
  json(await createResetLink(svc, { user, ip }, params.id, body), { status: 201, headers: { "Cache-Control": "no-store" } }),
);
