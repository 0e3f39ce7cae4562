import { route, json } from "@/server/web/http/route";
import { IdParams } from "@/server/web/http/params";
import { RulePatchBody } from "@/server/protocol/alerts";
import { deleteRule, updateRule } from "@/server/web/services/alert-rules";

export const PATCH = route({ permission: "alert.manage", params: IdParams, body: RulePatchBody }, async ({ svc, user, ip, params, body }) =>
  json(await updateRule(svc, { user, ip }, params.id, body)),
);

// Its alerts and their deliveries go with it.
export const DELETE = route({ permission: "alert.manage", params: IdParams }, async ({ svc, user, ip, params }) => {
  await deleteRule(svc, { user, ip }, params.id);
  return json({ ok: true });
});
