import { route, json } from "@/server/web/http/route";
import { fleetSummary } from "@/server/web/metrics/fleet-summary";

export const GET = route({ permission: "host.read" }, async ({ svc }) => json(fleetSummary(svc, await svc.db.host.findMany())));
