import { route, json } from "@/server/web/http/route";
import { getRetention, RetentionBody, setRetention } from "@/server/web/services/audit-retention";

// The retention setting, not the log: changing it is audited and prunes older rows.
export const GET = route({ permission: "audit.read" }, async ({ svc }) => json(await getRetention(svc)));

export const PUT = route({ permission: "audit.manage", body: RetentionBody }, async ({ svc, user, body, ip }) =>
  json(await setRetention(svc, { user, ip }, body)),
);
