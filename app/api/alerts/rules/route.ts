import { route, json } from "@/server/web/http/route";
import { NewRuleBody } from "@/server/protocol/alerts";
import { createRule, listRules } from "@/server/web/services/alert-rules";

export const GET = route({ permission: "alert.read" }, async ({ svc }) => json({ rules: await listRules(svc) }));

export const POST = route({ permission: "alert.manage", body: NewRuleBody }, async ({ svc, user, ip, body }) =>
  json(await createRule(svc, { user, ip }, body), { status: 201 }),
);
