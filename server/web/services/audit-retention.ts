// How long the audit log is kept (issue 14 point 7). The setting lives in the Setting table
// (key audit.retentionDays, a JSON number of days or null for "keep forever") so an admin
// changes it from the UI without a restart; changing it is itself audited. A periodic job
// (server/web/audit-prune-job.ts) and every change of the setting prune older rows.
import { z } from "zod";
import { audit } from "../audit";
import type { Db } from "../db/client";
import type { Services } from "../services";
import type { Caller } from "./caller";

const KEY = "audit.retentionDays";
/** Without a stored setting: a year, long enough for a yearly review, bounded for the disk. */
export const DEFAULT_RETENTION_DAYS = 365;
const DAY_MS = 86_400_000;

export const RetentionBody = z.strictObject({
  days: z.number().int("whole days").min(1, "at least 1 day").max(3650, "at most 3650 days (10 years)").nullable(),
});

export async function retentionDays(db: Db): Promise<number | null> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  if (!row) return DEFAULT_RETENTION_DAYS;
  const v: unknown = JSON.parse(row.value);
  return typeof v === "number" && v > 0 ? v : null;
}

export async function getRetention(svc: Services) {
  return { days: await retentionDays(svc.db), defaultDays: DEFAULT_RETENTION_DAYS };
}

/** Deletes rows older than the retention; the one place that deletes audit rows. */
export async function pruneAudit(db: Db, now = Date.now()): Promise<number> {
  const days = await retentionDays(db);
  if (days === null) return 0;
  const { count } = await db.auditEvent.deleteMany({ where: { at: { lt: new Date(now - days * DAY_MS) } } });
  if (count) await audit(db, { actor: "hangar", action: "audit.prune", outcome: "success", details: { deleted: count, retentionDays: days } });
  return count;
}

export async function setRetention(svc: Services, { user: actor, ip }: Caller, body: z.output<typeof RetentionBody>) {
  const before = await retentionDays(svc.db);
  const value = JSON.stringify(body.days);
  await svc.db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  await audit(svc.db, {
    actor: actor.username,
    userId: actor.id,
    action: "audit.retention",
    target: `${before ?? "forever"} → ${body.days ?? "forever"} days`,
    outcome: "success",
    ip,
    details: { before, after: body.days },
  });
  // Shortening takes effect now, not at the next tick of the job.
  const pruned = await pruneAudit(svc.db);
  return { days: body.days, defaultDays: DEFAULT_RETENTION_DAYS, pruned };
}
