// The audit log, newest first, for admins. Rows are written by ../audit.ts.
import type { Services } from "../services";

export async function listAuditEvents(svc: Services, limit: number) {
  const rows = await svc.db.auditEvent.findMany({ orderBy: { at: "desc" }, take: limit });
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    details: details(r.detailsJson),
  }));
}

// Written by audit() as JSON; a row that is not (written by hand, say) still lists.
function details(json: string): Record<string, unknown> {
  try {
    const d: unknown = JSON.parse(json);
    return d && typeof d === "object" && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
