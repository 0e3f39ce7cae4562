// The audit log for admins (issue 14 point 7): filtered, newest first, paged by cursor,
// exported as CSV, pruned past the retention setting. Rows are written by ../audit.ts;
// nothing here edits or deletes a row except the retention prune (./audit-retention.ts).
import { z } from "zod";
import type { Services } from "../services";
import type { AuditEvent } from "../db/client";
import { ApiError } from "../http/errors";

const Instant = z.iso.datetime({ offset: true, message: "an ISO 8601 time, e.g. 2026-12-03T14:00:00Z" });

/** The filters both the list and the CSV export take. */
export const AuditFilterShape = {
  /** The actor, exactly (a username, "anonymous" or "hangar"). */
  user: z.string().min(1).max(200).optional(),
  /** Part of the target: a VM name, a username, a host… */
  resource: z.string().min(1).max(200).optional(),
  /** An action ("auth.login") or a family of them ("auth" matches auth.login and auth.logout). */
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_.-]{0,63}$/, "an action such as auth.login, or its first part such as auth")
    .optional(),
  outcome: z.enum(["success", "failure", "denied"]).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
};
export const AuditFilter = z.strictObject(AuditFilterShape);
export const AuditListQuery = z.strictObject({
  ...AuditFilterShape,
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});
export type AuditFilterInput = z.output<typeof AuditFilter>;

function where(f: AuditFilterInput, after?: { at: Date; id: string }) {
  if (f.from && f.to && Date.parse(f.from) > Date.parse(f.to)) throw new ApiError("invalid", "Invalid query: from is after to", { from: "after to" });
  const and: object[] = [];
  if (f.user) and.push({ actor: f.user });
  if (f.resource) and.push({ target: { contains: f.resource } });
  if (f.action) and.push({ OR: [{ action: f.action }, { action: { startsWith: `${f.action}.` } }] });
  if (f.outcome) and.push({ outcome: f.outcome });
  if (f.from) and.push({ at: { gte: new Date(f.from) } });
  if (f.to) and.push({ at: { lte: new Date(f.to) } });
  // Keyset paging on (at, id), both descending: stable while new rows arrive at the top.
  if (after) and.push({ OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] });
  return { AND: and };
}

const ORDER = [{ at: "desc" as const }, { id: "desc" as const }];

function encodeCursor(r: AuditEvent): string {
  return Buffer.from(`${r.at.toISOString()}|${r.id}`).toString("base64url");
}

function decodeCursor(c: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(c, "base64url").toString("utf8").split("|");
  const when = new Date(at ?? "");
  if (!id || Number.isNaN(when.getTime()))
    throw new ApiError("invalid", "Invalid query: cursor is not one this server gave", { cursor: "unknown cursor" });
  return { at: when, id };
}

function publicEvent(r: AuditEvent) {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    ip: r.ip,
    details: details(r.detailsJson),
  };
}

export async function listAuditEvents(svc: Services, q: z.output<typeof AuditListQuery>) {
  const rows = await svc.db.auditEvent.findMany({
    where: where(q, q.cursor ? decodeCursor(q.cursor) : undefined),
    orderBy: ORDER,
    take: q.limit + 1,
  });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { events: page.map(publicEvent), nextCursor: more ? encodeCursor(page[page.length - 1]!) : null };
}

const CSV_COLUMNS = ["at", "actor", "action", "target", "outcome", "ip", "details"] as const;
const CSV_PAGE = 500;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would run as a formula (starting with
 * = + - @, or a tab or carriage return that some strip first) gets a leading ' (OWASP
 * "CSV injection"); a cell holding a comma, quote or line break is quoted, quotes doubled.
 */
export function csvCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csvRow(r: AuditEvent): string {
  const cells = [r.at.toISOString(), r.actor, r.action, r.target, r.outcome, r.ip, r.detailsJson];
  return cells.map(csvCell).join(",") + "\r\n";
}

/** The filtered log as CSV, read and sent a page at a time: a year of rows never sits in memory. */
export function exportAuditCsv(svc: Services, f: AuditFilterInput): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let after: { at: Date; id: string } | undefined;
  let started = false;
  where(f); // throws on a bad range now, as a 422, rather than midway through the stream
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      if (!started) {
        started = true;
        ctl.enqueue(enc.encode(CSV_COLUMNS.join(",") + "\r\n"));
      }
      const rows = await svc.db.auditEvent.findMany({ where: where(f, after), orderBy: ORDER, take: CSV_PAGE });
      if (rows.length) ctl.enqueue(enc.encode(rows.map(csvRow).join("")));
      if (rows.length < CSV_PAGE) return ctl.close();
      const last = rows[rows.length - 1]!;
      after = { at: last.at, id: last.id };
    },
  });
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
