import { route, json } from "@/server/web/http/route";
import { AuditListQuery, listAuditEvents } from "@/server/web/services/audit-log";

// Read-only by design: the log is append-only, so this file exports GET alone and Next
// answers PUT, PATCH and DELETE with 405.
export const GET = route({ permission: "audit.read", query: AuditListQuery }, async ({ svc, query }) => json(await listAuditEvents(svc, query)));
