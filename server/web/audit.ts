import type { Db } from "./db/client";

export interface AuditEntry {
  actor: string;
  userId?: string | null;
  action: string;
  target?: string;
  outcome: "success" | "failure" | "denied";
  ip?: string;
  details?: Record<string, unknown>;
}

/** Writes one audit row. Never throws: a failing audit write is logged, not user-facing. */
export async function audit(db: Db, e: AuditEntry): Promise<void> {
  try {
    await db.auditEvent.create({
      data: {
        actor: e.actor.slice(0, 200),
        userId: e.userId ?? null,
        action: e.action,
        target: e.target ?? "",
        outcome: e.outcome,
        ip: e.ip ?? "",
        detailsJson: JSON.stringify(e.details ?? {}),
      },
    });
  } catch (err) {
    console.error("[audit] write failed:", (err as Error).message, e.action);
  }
}
