import { route, json } from "@/server/web/http/route";
import { NewRuleBody } from "@/server/protocol/alerts";
import { createRule, listRules } from "@/server/web/services/alert-rules";

// Filtered: a rule is listed to whoever holds alert.read where it applies (fleet, its host or its tag).
export const GET = route({ permission: "alert.read", scope: "filtered" }, async ({ svc, user, ip }) =>
  json({ rules: await listRules(svc, { user, ip }) }),
);

export const POST = route({ permission: "alert.manage", body: NewRuleBody }, async ({ svc, user, ip, body }) =>
  json(await createRule(svc, { user, ip }, body), { status: 201 }),
);
