import { route, json } from "@/server/web/http/route";
import { dashboard } from "@/server/web/services/metrics";

export const GET = route({ permission: "host.read", scope: "filtered" }, async ({ svc, user }) => json(await dashboard(svc, user)));
