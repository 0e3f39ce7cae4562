import { route, json } from "@/server/web/http/route";
import { AlertListQuery } from "@/server/protocol/alerts";
import { listAlerts } from "@/server/web/services/alerts";

// Filtered: each alert is shown to whoever may read its VM, container or host.
export const GET = route({ permission: "alert.read", scope: "filtered", query: AlertListQuery }, async ({ svc, user, ip, query }) =>
  json(await listAlerts(svc, { user, ip }, query)),
);
