import { z } from "zod";
import { route, json } from "@/server/web/http/route";

export const GET = route(
  { permission: "audit.read", query: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  async ({ svc, query }) => {
    const rows = await svc.db.auditEvent.findMany({ orderBy: { at: "desc" }, take: query.limit });
    return json({
      events: rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, outcome: r.outcome, ip: r.ip, details: details(r.detailsJson) })),
    });
  },
);

// Written by audit() as JSON; a row that is not (written by hand, say) still lists.
function details(json: string): Record<string, unknown> {
  try {
    const d: unknown = JSON.parse(json);
    return d && typeof d === "object" && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
