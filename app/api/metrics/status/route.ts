import { route, json } from "@/server/web/http/route";
import { metricsStatus } from "@/server/web/services/metrics";

// The metrics service's own state (subscribers, watched series, buffers) and the server's
// memory: for admins watching Hangar itself.
export const GET = route({ permission: "audit.read" }, async ({ svc }) => json(metricsStatus(svc)));
