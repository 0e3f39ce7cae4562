import { z } from "zod";
import { route, json } from "@/server/web/http/route";
import { listAuditEvents } from "@/server/web/services/audit-log";

export const GET = route(
  { permission: "audit.read", query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  async ({ svc, query }) => json({ events: await listAuditEvents(svc, query.limit) }),
);
