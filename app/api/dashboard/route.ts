import { route, json } from "@/server/web/http/route";
import { dashboard } from "@/server/web/services/metrics";

export const GET = route({ permission: "host.read" }, async ({ svc }) => json(await dashboard(svc)));
