import { z } from "zod";
import { route, json } from "@/server/web/http/route";

export const GET = route(
  { permission: "audit.read", query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  async ({ svc, query }) => {
    const rows = await svc.db.auditEvent.findMany({ orderBy: { at: "desc" }, take: query.limit });
    return json({
      events: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, outcome: r.outcome, ip: r.ip })),
    });
  },
);
