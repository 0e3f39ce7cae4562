// Database failures a user can act on, told as such instead of "internal error": the
// disk holding the database is full (SQLite's SQLITE_FULL, PostgreSQL's 53100). The
// failed statement was rolled back by the database, so nothing half-written remains.
import { ApiError } from "../http/errors";

const FULL = new Set(["SQLITE_FULL", "53100"]);

function codeOf(e: unknown): string | null {
  for (let x: unknown = e, depth = 0; x && typeof x === "object" && depth < 4; x = (x as { cause?: unknown }).cause, depth++) {
    const c = (x as { code?: unknown }).code;
    if (typeof c === "string" && FULL.has(c)) return c;
  }
  return null;
}

/** The error as the client should see it: a disk-full error becomes 507, others pass. */
export function databaseError(e: unknown): unknown {
  if (!codeOf(e) && !/database or disk is full|No space left on device/i.test(e instanceof Error ? e.message : "")) return e;
  console.error("[db] write refused: the database's disk is full");
  return new ApiError("storage_full", "The database's disk is full: nothing was saved. Free space on the server's data volume and retry.");
}
